import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { renderTable } from '../../core/render/table.js';
import { getScan } from '../../store/scans.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../../store/test-support/dialects.js';
import { type KubernetesScanOptions, scanKubernetes } from './scan-kubernetes.js';

const now = new Date('2026-03-01T00:00:00Z');

/** What a scan shows and stores, with or without its passes counted rather than kept. */
async function scanned(db: TestDatabase, options: KubernetesScanOptions) {
  const store = await db.open();
  try {
    const outcome = await scanKubernetes({ now, ...options }, store);
    const scan = (await store.db.selectFrom('scans').select('id').executeTakeFirstOrThrow()).id;
    return {
      outcome,
      document: outcome.document,
      table: renderTable(outcome.report.table()),
      summary: (await getScan(store.db, scan))!.summary,
      resources: await store.db
        .selectFrom('resources')
        .select(['key', 'type', 'name', 'parent_key', 'data'])
        .orderBy('key')
        .execute(),
      results: await store.db
        .selectFrom('control_results')
        .select(['id', 'resource_key', 'control', 'control_version', 'status', 'severity', 'message', 'data'])
        .orderBy('id')
        .execute(),
    };
  } finally {
    await store.close();
  }
}

describe.each(DIALECTS)('scanKubernetes with its passes counted, on %s', (dialect) => {
  const dbs: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.dispose();
  });

  it('shows and stores what it does with a result per pass', async () => {
    const [kept, counted] = [await freshDatabase(dialect), await freshDatabase(dialect)];
    dbs.push(kept, counted);
    const paths = [corpusPath('manifests', 'kubernetes-examples')];
    const a = await scanned(kept, { paths, standard: 'all' });
    const b = await scanned(counted, { paths, standard: 'all', countPasses: true });
    expect(a.outcome.evaluation.passes).toBeUndefined();
    const passes = b.outcome.evaluation.passes!;
    expect([...passes.controls.values()].reduce((n, c) => n + c.n, 0)).toBeGreaterThan(1_000);
    expect(b.outcome.evaluation.results.some((r) => r.status === 'pass')).toBe(false);
    expect(b.document).toEqual(a.document);
    expect(b.table).toBe(a.table);
    expect(b.summary).toEqual(a.summary);
    expect(b.resources).toEqual(a.resources);
    expect(b.results).toEqual(a.results);
    expect(() => b.outcome.centerDocument).toThrow(/counted/);
  });

  it('keeps a result per pass when they are listed (--include-passed)', async () => {
    const db = await freshDatabase(dialect);
    dbs.push(db);
    const paths = [corpusPath('manifests', 'kubernetes-examples')];
    const { outcome } = await scanned(db, { paths, includePassed: true, countPasses: true });
    expect(outcome.evaluation.passes).toBeUndefined();
    expect(outcome.evaluation.results.some((r) => r.status === 'pass')).toBe(true);
  });
});
