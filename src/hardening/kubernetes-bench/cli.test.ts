import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../../../test/e2e/cli-support.js';
import { CONTROLS } from './controls/index.js';
import { buildFixtureNode, type FixtureNode } from './test-support/fixture-node.js';

let node: FixtureNode;
let center: Server;
let url: string;
const received: { auth: string | undefined; body: { kind: string; results: unknown[] } }[] = [];

beforeAll(async () => {
  node = await buildFixtureNode('cp-insecure');
  // a center stand-in that records what --push sends
  center = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id: received.length, kind: 'KubernetesBenchmark', resources: 1, duplicate: false }),
      );
    });
  });
  await new Promise<void>((r) => center.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(center.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await new Promise((r) => center.close(r));
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runBuiltCli(['bench', 'kubernetes', '--root', node.root, '--no-store', ...args], { env });

describe('bulkhead bench kubernetes (built CLI)', () => {
  it('prints the KubernetesBenchmark document and trips --exit-code on a failure', async () => {
    const run = await cli(['--format', 'json', '--exit-code', '4']);
    expect(run.code).toBe(4);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      kind: 'KubernetesBenchmark',
      engine: 'kubernetes-benchmark',
      benchmark: { id: 'cis-1.12' },
    });
    expect(doc.node.targets).toEqual(['master', 'etcd', 'controlplane', 'node']);
    expect(doc.results.find((r: { id: string }) => r.id === '1.2.6').status).toBe('fail');
  });

  it('selects with --targets and --check, and rejects bad values with exit 2', async () => {
    const run = await cli(['--format', 'json', '--targets', 'node', '--check', '4.2']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results.every((r: { id: string }) => r.id.startsWith('4.2.'))).toBe(true);
    expect((await cli(['--targets', 'nodes'])).code).toBe(2);
    expect((await cli(['--benchmark', 'eks-1.9'])).code).toBe(2);
    expect((await cli(['--check', '7.1'])).code).toBe(2);
  });

  it('pushes the document with the token when --push is given', async () => {
    const run = await cli(['--format', 'json', '--quiet', '--push', url], { BULKHEAD_TOKEN: 'secret-token' });
    expect(run.code).toBe(0);
    expect(received.at(-1)).toMatchObject({
      auth: 'Bearer secret-token',
      body: { kind: 'KubernetesBenchmark' },
    });
    // every control of sections 1–4 (no --kubeconfig: no policies)
    expect(received.at(-1)!.body.results.length).toBe(CONTROLS.filter((c) => c.target !== 'policies').length);
  });
});
