import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runKubernetesBenchmark } from '../../../hardening/kubernetes-bench/run-benchmark.js';
import {
  buildFixtureNode,
  type FixtureNode,
} from '../../../hardening/kubernetes-bench/test-support/fixture-node.js';
import { DIALECTS } from '../../../store/test-support/dialects.js';
import { hostKey } from '../../inventory/keys.js';
import { ADMIN, openTestCenter, resource, type TestCenter } from '../../test-support/center.js';
import { createReportService } from '../service.js';

let insecure: FixtureNode;
let secure: FixtureNode;
beforeAll(async () => {
  insecure = await buildFixtureNode('cp-insecure');
  secure = await buildFixtureNode('cp-secure');
}, 60_000);
afterAll(async () => {
  await insecure?.stop();
  await secure?.stop();
});

const documentOf = async (node: FixtureNode, generatedAt: string) =>
  JSON.parse(
    JSON.stringify(
      (await runKubernetesBenchmark({ root: node.root, hostName: 'cp-1', now: new Date(generatedAt) }))
        .document,
    ),
  );

describe.each(DIALECTS)('KubernetesBenchmark ingest on %s', (dialect) => {
  let c: TestCenter;
  beforeEach(async () => {
    c = await openTestCenter(dialect);
  });
  afterEach(async () => c.dispose());

  it('files a node benchmark on its host, opens its failures, and resolves them once the node is fixed', async () => {
    const reports = createReportService(c.deps);
    const first = await reports.ingest(ADMIN, await documentOf(insecure, '2026-03-01T09:00:00.000Z'));
    expect(first).toMatchObject({ kind: 'KubernetesBenchmark', duplicate: false });
    expect((await resource(c.store, hostKey('cp-1')))?.health).toBe('unhealthy');
    const open = () =>
      c.store.db
        .selectFrom('center_control_results')
        .select(['control', 'subject', 'state'])
        .where('engine', '=', 'kubernetes-benchmark')
        .where('state', '=', 'open')
        .execute();
    const opened = await open();
    expect(opened.map((r) => r.control)).toContain('CIS-K8S-1.2.6');
    expect(opened.some((r) => r.control === 'CIS-K8S-1.1.1' && r.subject.startsWith('file:'))).toBe(true);

    c.setNow('2026-03-02T10:00:00.000Z');
    await reports.ingest(ADMIN, await documentOf(secure, '2026-03-02T09:00:00.000Z'));
    expect(await open()).toEqual([]);
    expect((await resource(c.store, hostKey('cp-1')))?.health).toBe('healthy');
  });
});
