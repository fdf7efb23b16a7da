import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubernetesBenchmark } from '../run-benchmark.js';
import { buildFixtureNode, type FixtureNode } from '../test-support/fixture-node.js';

let node: FixtureNode;
const offline = mkdtempSync(join(tmpdir(), 'bulkhead-kbench-offline-'));

beforeAll(async () => {
  node = await buildFixtureNode('cp-secure');
  // the node's files without its processes: an image or a disk mounted elsewhere
  for (const dir of ['etc', 'var']) cpSync(join(node.root, dir), join(offline, dir), { recursive: true });
  mkdirSync(join(offline, 'proc'));
}, 60_000);

afterAll(async () => {
  await node?.stop();
  rmSync(offline, { recursive: true, force: true });
});

describe('evidence without running components', () => {
  it('judges control plane components from their static pod manifests when they do not run', async () => {
    const outcome = await runKubernetesBenchmark({
      root: offline,
      checks: ['1.2.6', '1.3.2', '2.2', '4.2.1'],
    });
    expect(outcome.targets).toEqual(['master', 'etcd', 'controlplane']);
    expect(outcome.document.node.components.map((c) => [c.name, c.source])).toContainEqual([
      'kube-apiserver',
      'manifest',
    ]);
    expect(outcome.results.map((r) => [r.id, r.status])).toEqual([
      ['1.2.6', 'pass'],
      ['1.3.2', 'pass'],
      ['2.2', 'pass'],
    ]);
    expect(outcome.results[0]!.evidence).toMatchObject([{ setting: { source: 'manifest' } }]);
  });

  it('gives error, never a verdict, when the kubelet config file cannot be parsed', async () => {
    const config = join(node.root, 'var/lib/kubelet/config.yaml');
    writeFileSync(config, 'authentication: [unclosed\n');
    chmodSync(config, 0o600);
    const outcome = await runKubernetesBenchmark({ root: node.root, checks: ['4.2.1', '4.2.10'] });
    expect(outcome.results.map((r) => [r.id, r.status])).toEqual([
      ['4.2.1', 'error'],
      ['4.2.10', 'error'],
    ]);
    expect(outcome.results[0]!.message).toContain('config file unreadable');
  });
});
