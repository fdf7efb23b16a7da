import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../store/test-support/dialects.js';
import type { CenterError } from '../errors.js';
import { containerKey, imageKey } from '../inventory/keys.js';
import { createReportService } from '../reports/service.js';
import { ADMIN, OPERATOR, openTestCenter, resource, type TestCenter } from '../test-support/center.js';
import { dockerBenchmark, HOST, imageScan, MANIFEST_DIGEST } from '../test-support/documents.js';
import { createExceptionService } from './service.js';

const IMAGE = imageKey(MANIFEST_DIGEST);
const A = { id: 'a'.repeat(64), name: 'web' };

describe.each(DIALECTS)('exceptions on %s', (dialect) => {
  let c: TestCenter;
  beforeEach(async () => {
    c = await openTestCenter(dialect);
  });
  afterEach(async () => c.dispose());

  const findings = () =>
    c.store.db
      .selectFrom('center_findings')
      .select(['vuln_id', 'state', 'exception_id'])
      .orderBy('vuln_id')
      .execute();

  it('covers matching open results, applies to new ones, and re-opens them when it expires', async () => {
    const reports = createReportService(c.deps);
    const exceptions = createExceptionService(c.deps, { requireApproval: false });
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-1' }, { id: 'CVE-2' }]));
    const e = await exceptions.create(OPERATOR, {
      targets: ['ALIAS-CVE-1', 'CVE-3'],
      selector: { repository: 'team/*' },
      reason: 'not reachable',
      expires: '2026-03-05',
    });
    expect(e).toMatchObject({
      status: 'active',
      approvedBy: OPERATOR.id,
      requestedBy: OPERATOR.id,
      covers: 1,
    });
    // an exception elsewhere covers nothing
    const other = await exceptions.create(OPERATOR, {
      targets: ['CVE-2'],
      selector: { host: 'node-*' },
      reason: 'x',
    });
    expect(other.covers).toBe(0);
    expect(await findings()).toEqual([
      { vuln_id: 'CVE-1', state: 'excepted', exception_id: e.id },
      { vuln_id: 'CVE-2', state: 'open', exception_id: null },
    ]);
    c.setNow('2026-03-05T23:00:00.000Z');
    await reports.ingest(
      ADMIN,
      imageScan([{ id: 'CVE-1' }, { id: 'CVE-3' }], { generatedAt: '2026-03-05T22:00:00.000Z' }),
    );
    expect(await findings()).toEqual([
      { vuln_id: 'CVE-1', state: 'excepted', exception_id: e.id },
      { vuln_id: 'CVE-2', state: 'resolved', exception_id: null },
      { vuln_id: 'CVE-3', state: 'excepted', exception_id: e.id },
    ]);
    expect((await resource(c.store, IMAGE))?.health).toBe('healthy');
    expect(await exceptions.expire()).toBe(0);
    c.setNow('2026-03-06T00:00:01.000Z');
    expect(await exceptions.expire()).toBe(1);
    expect(await findings()).toEqual([
      { vuln_id: 'CVE-1', state: 'open', exception_id: null },
      { vuln_id: 'CVE-2', state: 'resolved', exception_id: null },
      { vuln_id: 'CVE-3', state: 'open', exception_id: null },
    ]);
    expect((await resource(c.store, IMAGE))?.health).toBe('unhealthy');
    expect(await exceptions.get(e.id)).toMatchObject({ status: 'expired', covers: 0 });
    const audit = await c.store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_kind, a.target])).toEqual([
      ['exception.create', 'user', `exception:${e.id}`],
      ['exception.create', 'user', `exception:${other.id}`],
      ['exception.expire', 'system', `exception:${e.id}`],
    ]);
    expect(JSON.parse(audit[2]!.detail)).toMatchObject({ reopened: 2 });
  });

  it('with approval required, waits for another person; revoking re-opens what it covered', async () => {
    const reports = createReportService(c.deps);
    const exceptions = createExceptionService(c.deps, { requireApproval: true });
    await reports.ingest(ADMIN, dockerBenchmark([A], [A.id]));
    const e = await exceptions.create(ADMIN, {
      targets: ['CIS-DOCKER-5.*'],
      selector: { container: 'web' },
      reason: 'needs it',
    });
    expect(e).toMatchObject({ status: 'pending', approvedBy: null, covers: 0 });
    await expect(exceptions.approve(ADMIN, e.id)).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_APPROVAL_REQUIRED',
    });
    const approved = await exceptions.approve(OPERATOR, e.id);
    expect(approved).toMatchObject({ status: 'active', approvedBy: OPERATOR.id, covers: 1 });
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).toBe('healthy');
    expect((await exceptions.list({ status: 'active' })).items.map((x) => x.id)).toEqual([e.id]);
    await exceptions.revoke(OPERATOR, e.id);
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).toBe('unhealthy');
    const row = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('control', '=', 'CIS-DOCKER-5.4')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'open', exception_id: null });
    const actions = await c.store.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual([
      'exception.create',
      'exception.approve',
      'exception.revoke',
    ]);
  });

  it('refuses exceptions without a reason or targets, with a bad date, and unknown ids', async () => {
    const exceptions = createExceptionService(c.deps, { requireApproval: false });
    const refused = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return (e as CenterError).code;
      }
      return 'none';
    };
    expect(await refused(exceptions.create(OPERATOR, { targets: ['x'], selector: {}, reason: ' ' }))).toBe(
      'BULKHEAD_ERR_VALIDATION',
    );
    expect(await refused(exceptions.create(OPERATOR, { targets: [], selector: {}, reason: 'r' }))).toBe(
      'BULKHEAD_ERR_VALIDATION',
    );
    expect(
      await refused(
        exceptions.create(OPERATOR, { targets: ['x'], selector: {}, reason: 'r', expires: '2026-13-45' }),
      ),
    ).toBe('BULKHEAD_ERR_VALIDATION');
    expect(await refused(exceptions.get(42))).toBe('BULKHEAD_ERR_EXCEPTION_NOT_FOUND');
    expect(
      await refused(
        exceptions.create({ ...OPERATOR, role: 'viewer' }, { targets: ['x'], selector: {}, reason: 'r' }),
      ),
    ).toBe('BULKHEAD_ERR_FORBIDDEN');
    expect(await c.store.db.selectFrom('center_exceptions').selectAll().execute()).toEqual([]);
  });
});
