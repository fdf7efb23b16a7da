import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoredScan, passedCount, scanItems } from '../../scan-history/stored-scan.js';
import { listScans } from '../../store/scans.js';
import { freshDatabase } from '../../store/test-support/dialects.js';
import { BENCHMARK_IDS, BENCHMARKS } from './benchmark.js';
import { runKubernetesBenchmark } from './run-benchmark.js';
import { buildFixtureNode, type FixtureName, type FixtureNode } from './test-support/fixture-node.js';

const NAMES: FixtureName[] = ['cp-secure', 'cp-insecure', 'worker'];
const nodes: FixtureNode[] = [];

beforeAll(async () => {
  for (const n of NAMES) nodes.push(await buildFixtureNode(n));
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await n.stop();
});

const run = (
  node: FixtureNode,
  extra: Parameters<typeof runKubernetesBenchmark>[0] extends infer O ? Partial<O> : never = {},
) => runKubernetesBenchmark({ root: node.root, now: new Date('2026-01-01T00:00:00Z'), ...extra });

describe('bench kubernetes on fixture nodes', () => {
  it('stores each run as a scan of the node, its results read back as scans show gives them', async () => {
    const db = await freshDatabase('sqlite');
    const store = await db.open();
    try {
      const outcome = await runKubernetesBenchmark(
        { root: nodes[1]!.root, hostName: 'node-a', now: new Date('2026-01-01T00:00:00Z') },
        store,
      );
      const [scan] = await listScans(store.db);
      expect(scan).toMatchObject({ kind: 'bench-kubernetes', target: 'node-a' });
      const stored = await loadStoredScan(store.db, scan!.id);
      const fails = outcome.results.filter((r) => r.status === 'fail').length;
      expect(scanItems(stored).filter((i) => i.status === 'fail')).toHaveLength(fails);
      expect(scanItems(stored).length + passedCount(stored)).toBe(outcome.results.length);
    } finally {
      await store.close();
      await db.dispose();
    }
  });

  it('finds the components of each node and picks the targets it runs', async () => {
    const [cp, , worker] = nodes;
    const a = await run(cp!);
    expect(a.targets).toEqual(['master', 'etcd', 'controlplane', 'node']);
    expect(a.document.kind).toBe('KubernetesBenchmark');
    expect(a.document.node.components.map((c) => c.name).sort()).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-proxy',
      'kube-scheduler',
      'kubelet',
    ]);
    expect(a.document.node.components.every((c) => c.source === 'process')).toBe(true);
    const w = await run(worker!);
    expect(w.targets).toEqual(['node']);
    expect(w.results.every((r) => r.target === 'node')).toBe(true);
  });

  it.each(BENCHMARK_IDS)(
    '%s: gives every automated control at least one failing and one passing fixture',
    async (benchmark) => {
      const statuses = new Map<string, Set<string>>();
      for (const node of nodes)
        for (const r of (await run(node, { benchmark })).results) {
          const set = statuses.get(r.id) ?? new Set();
          set.add(r.status);
          statuses.set(r.id, set);
        }
      const automated = BENCHMARKS[benchmark].controls.filter((c) => c.automated);
      const covered = automated.filter(
        (c) => statuses.get(c.id)?.has('pass') && statuses.get(c.id)?.has('fail'),
      );
      const missing = automated
        .filter((c) => !covered.includes(c))
        .map((c) => `${c.id} ${[...(statuses.get(c.id) ?? [])]}`);
      expect(missing).toEqual([]);
      expect(covered.length).toBe(automated.length);
      console.log(
        `automated controls with a failing and a passing fixture: ${covered.length}/${automated.length}`,
      );
    },
  );

  it('merges the kubelet config file with its flags: flags win', async () => {
    const worker = (await run(nodes[2]!, { checks: ['4.2.1', '4.2.2', '4.2.10'] })).results;
    const byId = new Map(worker.map((r) => [r.id, r]));
    expect(byId.get('4.2.1')).toMatchObject({ status: 'pass', message: '--anonymous-auth=false' });
    expect(byId.get('4.2.2')!.status).toBe('pass');
    expect(byId.get('4.2.10')).toMatchObject({ status: 'fail' });
    expect(byId.get('4.2.10')!.message).toContain('rotateCertificates=false');
  });

  it('reads etcd settings from its environment when no flag sets them', async () => {
    const r = (await run(nodes[1]!, { checks: ['2.2', '2.5'] })).results;
    expect(r.map((x) => [x.id, x.status])).toEqual([
      ['2.2', 'fail'],
      ['2.5', 'fail'],
    ]);
    expect(r[0]!.message).toContain('ETCD_CLIENT_CERT_AUTH=false');
  });

  it('selects with --targets and --check, gates with --exit-code, and rejects unknown ids', async () => {
    const only = await run(nodes[1]!, { targets: ['etcd'], checks: ['2'], exitCode: 3 });
    expect(only.results.map((r) => r.id)).toEqual(['2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7']);
    expect(only.gate.exitCode).toBe(3);
    expect((await run(nodes[0]!, { targets: ['etcd'], exitCode: 3 })).gate.exitCode).toBe(0);
    await expect(run(nodes[0]!, { checks: ['9.9'] })).rejects.toThrow(
      /not an id or section of the selected benchmark/,
    );
  });

  it('without --benchmark, picks a managed benchmark from the node, and says why', async () => {
    const plain = await run(nodes[2]!);
    expect(plain.document.benchmark).toMatchObject({
      id: 'cis-1.12',
      detectedBy: 'no managed-node marker found',
    });
    const chosen = await run(nodes[2]!, { benchmark: 'cis-1.12', checks: ['4.2.1'] });
    expect(chosen.document.benchmark).not.toHaveProperty('detectedBy');
    for (const [file, id] of [
      ['etc/eks/bootstrap.sh', 'eks-1.8'],
      ['etc/kubernetes/azure.json', 'aks-1.8'],
      ['home/kubernetes/kubelet-config.yaml', 'gke-1.9'],
    ] as const) {
      const marker = join(nodes[2]!.root, file);
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, '{}');
      try {
        const managed = await run(nodes[2]!);
        expect(managed.document.benchmark).toMatchObject({ id, detectedBy: `/${file} is present` });
        expect(managed.results.length).toBe(
          BENCHMARKS[id].controls.filter((c) => c.target === 'node').length,
        );
      } finally {
        rmSync(marker);
      }
    }
  });

  it('reports a component that does not run, and a file that is absent, as not applicable', async () => {
    const w = await run(nodes[2]!, { targets: ['master', 'node'], checks: ['1.2.1', '1.1.1', '4.1.3'] });
    expect(w.results.map((r) => [r.id, r.status])).toEqual([
      ['1.1.1', 'not_applicable'],
      ['1.2.1', 'not_applicable'],
      ['4.1.3', 'warn'],
    ]);
  });

  it('renders the table, JUnit and SARIF views', async () => {
    const outcome = await run(nodes[1]!);
    const table = outcome.report.table!();
    expect(table.sections!.map((s) => s.title)).toContain('1.2 API Server');
    expect(outcome.report.sarif!().results.some((r) => r.ruleId === 'CIS-K8S-1.2.6')).toBe(true);
    expect(outcome.report.junit!().suites.length).toBeGreaterThan(5);
    expect(outcome.document.summary.fail).toBeGreaterThan(40);
  });
});
