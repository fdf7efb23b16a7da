import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../store/test-support/dialects.js';
import { createExceptionService } from '../exceptions/service.js';
import { imageKey } from '../inventory/keys.js';
import { ADMIN, OPERATOR, openTestCenter, resource, type TestCenter } from '../test-support/center.js';
import { clusterInventory, imageScan, kubernetesScan, MANIFEST_DIGEST } from '../test-support/documents.js';
import { createReportService } from './service.js';

const WEB = 'workload:prod/shop/Deployment/web';

describe.each(DIALECTS)('cluster reports on %s', (dialect) => {
  let c: TestCenter;
  beforeEach(async () => {
    c = await openTestCenter(dialect);
  });
  afterEach(async () => c.dispose());

  it('files namespaces, workloads and pods, links pods to their image and retires pods a complete inventory lacks', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, clusterInventory(['web-1', 'web-2']));
    expect(await resource(c.store, 'pod:prod/shop/web-1')).toMatchObject({
      parent_key: WEB,
      image_key: null,
      health: 'not_assessed',
    });
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-1' }]));
    expect((await resource(c.store, 'pod:prod/shop/web-1'))?.image_key).toBe(imageKey(MANIFEST_DIGEST));
    await reports.ingest(ADMIN, kubernetesScan());
    expect(await resource(c.store, WEB)).toMatchObject({
      health: 'unhealthy',
      parent_key: 'namespace:prod/shop',
    });
    expect((await resource(c.store, 'cluster:prod'))?.health).toBe('unhealthy');
    c.setNow('2026-03-02T10:00:00.000Z');
    await reports.ingest(ADMIN, clusterInventory(['web-1'], { generatedAt: '2026-03-02T09:00:00.000Z' }));
    expect((await resource(c.store, 'pod:prod/shop/web-2'))?.removed_at).toBe('2026-03-02T10:00:00.000Z');
    expect((await resource(c.store, 'pod:prod/shop/web-1'))?.removed_at).toBeNull();
    // the workload came from both the scan and the inventory: it is still there, still failing
    expect(await resource(c.store, WEB)).toMatchObject({ removed_at: null, health: 'unhealthy' });
    await reports.ingest(ADMIN, kubernetesScan({ failing: false, generatedAt: '2026-03-02T09:30:00.000Z' }));
    expect((await resource(c.store, WEB))?.health).toBe('healthy');
    const row = await c.store.db.selectFrom('center_control_results').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'resolved', status: 'pass', resolved_at: '2026-03-02T10:00:00.000Z' });
  });

  it('an exception selecting namespace labels and a kind covers the workload result', async () => {
    const reports = createReportService(c.deps);
    const exceptions = createExceptionService(c.deps, { requireApproval: false });
    await reports.ingest(ADMIN, clusterInventory(['web-1']));
    const e = await exceptions.create(OPERATOR, {
      targets: ['K8S-POD-*'],
      selector: { cluster: 'prod', labels: { team: 'sh*' }, kind: 'Deployment' },
      reason: 'accepted for the shop team',
    });
    await reports.ingest(ADMIN, kubernetesScan());
    expect(
      await c.store.db.selectFrom('center_control_results').select(['state', 'exception_id']).execute(),
    ).toEqual([{ state: 'excepted', exception_id: e.id }]);
    expect((await resource(c.store, WEB))?.health).toBe('healthy');
    const miss = await exceptions.create(OPERATOR, {
      targets: ['K8S-POD-01'],
      selector: { labels: { team: 'other' } },
      reason: 'x',
    });
    await exceptions.revoke(OPERATOR, e.id);
    expect(
      await c.store.db.selectFrom('center_control_results').select(['state', 'exception_id']).execute(),
    ).toEqual([{ state: 'open', exception_id: null }]);
    expect((await exceptions.get(miss.id)).covers).toBe(0);
  });
});
