import { afterEach, describe, expect, it } from 'vitest';
import type { ControlResult } from '../core/results.js';
import { CONTROL_RESULT_BATCH } from './control-results.js';
import {
  appliedMigrations,
  finishScan,
  getScan,
  listControlResults,
  listResources,
  passCounts,
  saveControlResults,
  saveControlScan,
  startScan,
} from './index.js';
import { LATEST_MIGRATION, migrations } from './migrations/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

function result(control: string, container: string, status: ControlResult['status'] = 'fail'): ControlResult {
  return {
    control,
    title: `control ${control}`,
    severity: 'HIGH',
    standards: ['cis-docker'],
    resource: {
      type: 'container',
      id: container,
      name: `/${container}`,
      parent: { type: 'host', id: 'node-1' },
    },
    status,
    message: `${control} on ${container}`,
    evidence: { privileged: true },
    remediation: 'run it without --privileged',
  };
}

describe('migration list', () => {
  it('is in name order, so that the last entry is the latest', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    expect(LATEST_MIGRATION).toBe(names.at(-1));
  });
});

describe.each(DIALECTS)('store on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('creates the latest schema on first open and is idempotent on reopen', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    expect(store.dialect).toBe(dialect);
    expect(await appliedMigrations(store)).toEqual(Object.keys(migrations));
    await store.close();
    const again = await database.open();
    expect(await appliedMigrations(again)).toEqual(Object.keys(migrations));
    await again.close();
  });

  it('stores a scan with its control results and resources, and reads them back unchanged', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const scanId = await startScan(store.db, 'docker-benchmark', 'unix:///var/run/docker.sock');
    const results = [result('5.5', 'abc'), result('5.5', 'def'), result('5.10', 'abc', 'pass')];
    await saveControlResults(store.db, scanId, results);
    await finishScan(store.db, scanId, { fail: 2, pass: 1 });

    const scan = await getScan(store.db, scanId);
    expect(scan?.summary).toEqual({ fail: 2, pass: 1 });
    expect(scan?.finishedAt).not.toBeNull();
    // failures in full less the catalogue text (title, standards, remediation); plain passes as counts per control
    const stored = (r: ControlResult) => {
      const { title: _t, standards: _s, remediation: _r, ...rest } = r;
      return { ...rest, controlVersion: 1 };
    };
    expect(await listControlResults(store.db, { scanId })).toEqual(results.slice(0, 2).map(stored));
    expect(await passCounts(store.db, scanId)).toEqual({ '5.10': 1 });
    expect(await listControlResults(store.db, { status: 'fail', control: '5.5' })).toHaveLength(2);
    const containers = await listResources(store.db, 'container');
    expect(containers.map((r) => r.key)).toEqual(['host:node-1/container:abc', 'host:node-1/container:def']);
    expect(containers[0]?.ref).toEqual(results[0]?.resource);
    await store.close();
  });

  it('records a posture run as a finished scan whose summary leaves suppressed failures out', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const suppressed = { ...result('5.5', 'def'), suppressedBy: { reason: 'accepted risk' } };
    const results = [result('5.5', 'abc'), suppressed, result('5.10', 'abc', 'pass')];
    const id = await saveControlScan(store.db, 'k8s', 'deploy/', results);
    const scan = await getScan(store.db, id);
    expect(scan).toMatchObject({ kind: 'k8s', target: 'deploy/', summary: { results: 3, fail: 1 } });
    expect(scan?.finishedAt).not.toBeNull();
    expect(await listControlResults(store.db, { scanId: id })).toHaveLength(2);
    expect(await passCounts(store.db, id)).toEqual({ '5.10': 1 });
    await store.close();
  });

  it('stores nothing of a batch when one row fails (one transaction)', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const bad = { ...result('1.1', 'zzz'), message: null as unknown as string };
    await expect(saveControlResults(store.db, null, [result('1.1', 'ok'), bad])).rejects.toThrow();
    expect(await listControlResults(store.db)).toEqual([]);
    expect(await listResources(store.db)).toEqual([]);
    await store.close();
  });

  it('stores results of several batches in their order, the pass counts last, in one transaction', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const failures = Array.from({ length: 2 * CONTROL_RESULT_BATCH + 17 }, (_, i) =>
      result(`5.${i % 7}`, `c${i % 300}`),
    );
    const passes = Array.from({ length: 50 }, (_, i) => result(`1.${i % 3}`, `c${i}`, 'pass'));
    const results = failures.flatMap((f, i) => (i < passes.length ? [passes[i]!, f] : [f]));
    const id = await saveControlScan(store.db, 'k8s', 'many/', results);
    const stored = await listControlResults(store.db, { scanId: id });
    expect(stored.map((r) => `${r.control} ${r.resource.id}`)).toEqual(
      failures.map((f) => `${f.control} ${f.resource.id}`),
    );
    expect(await passCounts(store.db, id)).toEqual({ '1.0': 17, '1.1': 17, '1.2': 16 });
    const keys = await store.db
      .selectFrom('control_results')
      .select('resource_key')
      .where('scan_id', '=', id)
      .orderBy('id')
      .execute();
    expect(keys.slice(failures.length).map((k) => k.resource_key)).toEqual(['', '', '']);
    expect(await listResources(store.db, 'container')).toHaveLength(300);
    await store.close();
  });

  it('stores nothing when a row of a later batch fails', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const results = Array.from({ length: CONTROL_RESULT_BATCH + 5 }, (_, i) => result('5.5', `c${i}`));
    results[CONTROL_RESULT_BATCH + 2] = {
      ...results[CONTROL_RESULT_BATCH + 2]!,
      message: null as unknown as string,
    };
    await expect(saveControlScan(store.db, 'k8s', 'bad/', results)).rejects.toThrow();
    expect(await listControlResults(store.db)).toEqual([]);
    expect(await listResources(store.db)).toEqual([]);
    expect(await store.db.selectFrom('scans').select('id').execute()).toEqual([]);
    await store.close();
  });

  it('upgrades a database written by the first schema, keeping its data', async () => {
    database = await freshDatabase(dialect);
    const old = await database.open({ migrateTo: '0001_initial' });
    expect(await appliedMigrations(old)).toEqual(['0001_initial']);
    // write as the old version did: control results, and no inventory table yet
    await old.db
      .insertInto('control_results')
      .values({
        scan_id: null,
        resource_key: 'host:node-1/container:abc',
        control: '5.5',
        control_version: 1,
        status: 'fail',
        severity: 'HIGH',
        message: 'privileged',
        data: '{}',
        recorded_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    await old.close();

    const upgraded = await database.open();
    expect(await appliedMigrations(upgraded)).toEqual(Object.keys(migrations));
    expect(Object.keys(migrations).at(-1)).toBe(LATEST_MIGRATION);
    const resources = await listResources(upgraded.db);
    expect(resources).toEqual([
      {
        key: 'host:node-1/container:abc',
        ref: {},
        type: 'container',
        name: 'abc',
        firstSeen: '2026-01-01T00:00:00.000Z',
        lastSeen: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(await upgraded.db.selectFrom('control_results').select('message').execute()).toEqual([
      { message: 'privileged' },
    ]);
    await upgraded.close();
  });

  it('refuses a database written by a newer version, naming it', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await store.db
      .withSchema(store.schema ?? 'main')
      .insertInto('kysely_migration' as never)
      .values({ name: '9999_future', timestamp: new Date().toISOString() } as never)
      .execute();
    await store.close();
    await expect(database.open()).rejects.toThrow(/written by a newer Bulkhead/);
  });
});
