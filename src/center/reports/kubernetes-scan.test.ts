import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { runBuiltCli } from '../../../test/e2e/cli-support.js';
import { DIALECTS } from '../../store/test-support/dialects.js';
import { ADMIN, openTestCenter, resource, type TestCenter, tableCounts } from '../test-support/center.js';
import { createReportService } from './service.js';

interface ScanDoc {
  results: { resource: { kind: string; namespace?: string; name: string }; status: string }[];
  assessed?: { kind: string; namespace?: string; name: string }[];
}

let doc: ScanDoc & Record<string, unknown>;

beforeAll(async () => {
  const run = await runBuiltCli([
    'k8s',
    'scan',
    corpusPath('manifests', 'real-world'),
    '--include-passed',
    '--format',
    'json',
  ]);
  // the scan gates nothing without --exit-code
  expect(run.stderr).toBe('');
  // a file scan knows no cluster: the pusher names it (--cluster-name)
  doc = { ...JSON.parse(run.stdout), origin: { cluster: 'demo' } };
}, 300_000);

describe.each(DIALECTS)('a KubernetesScan of real-world manifests on %s', (dialect) => {
  let c: TestCenter;
  beforeEach(async () => {
    c = await openTestCenter(dialect);
  });
  afterEach(async () => c.dispose());

  it('files cluster → namespace → workload/object with the health the results give', async () => {
    const reports = createReportService(c.deps);
    const first = await reports.ingest(ADMIN, doc);
    const name = (r: ScanDoc['results'][number]['resource']) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
    const failing = new Set(doc.results.filter((r) => r.status === 'fail').map((r) => name(r.resource)));
    // what was assessed is filed, results or not (an object no selected control applies to is healthy)
    const assessed = (doc.assessed ?? []) as ScanDoc['results'][number]['resource'][];
    const all = new Set([...doc.results.map((r) => name(r.resource)), ...assessed.map(name)]);
    const rows = await c.store.db.selectFrom('center_resources').selectAll().execute();
    const objects = rows.filter((r) => r.type === 'workload' || r.type === 'object' || r.type === 'pod');
    const namespaces = rows.filter((r) => r.type === 'namespace');
    expect(objects.length + namespaces.filter((n) => n.assessed_at !== null).length).toBe(all.size);
    const unhealthy = rows.filter(
      (r) => r.type !== 'cluster' && r.type !== 'namespace' && r.health === 'unhealthy',
    );
    const failingObjects = [...failing].filter((f) => !f.startsWith('Namespace/'));
    expect(unhealthy.length).toBe(failingObjects.length);
    expect(objects.filter((r) => r.health === 'healthy').length).toBe(objects.length - unhealthy.length);
    expect(await resource(c.store, 'cluster:demo')).toMatchObject({ health: 'unhealthy', parent_key: null });
    expect(await resource(c.store, 'object:demo/_cluster/ClusterRole/prometheus-operator')).toMatchObject({
      parent_key: 'cluster:demo',
      health: 'unhealthy',
    });
    const workload = rows.find((r) => r.type === 'workload' && r.key.startsWith('workload:demo/monitoring/'));
    expect(workload?.parent_key).toBe('namespace:demo/monitoring');
    const open = await c.store.db
      .selectFrom('center_control_results')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(Number(open.n)).toBeGreaterThan(0);
    const counts = await tableCounts(c.store);
    await expect(reports.ingest(ADMIN, JSON.parse(JSON.stringify(doc)))).resolves.toEqual({
      ...first,
      duplicate: true,
    });
    expect(await tableCounts(c.store)).toEqual(counts);
  });
});
