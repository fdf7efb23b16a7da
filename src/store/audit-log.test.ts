import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, countAudit, listAudit } from './audit-log.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('appends inside the caller transaction and lists newest first with a cursor', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    try {
      const actor = { kind: 'user' as const, id: 'u1', name: 'ada' };
      for (let i = 0; i < 3; i++)
        await appendAudit(store.db, {
          at: `2026-01-0${i + 1}T00:00:00.000Z`,
          actor,
          action: 'exception.create',
          target: `exception:${i}`,
          detail: { i },
        });
      // a rolled back transaction leaves no entry
      await expect(
        store.db.transaction().execute(async (tx) => {
          await appendAudit(tx, {
            at: '2026-01-09T00:00:00.000Z',
            actor,
            action: 'x',
            target: 'y',
            detail: {},
          });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      expect(await countAudit(store.db)).toBe(3);
      const first = await listAudit(store.db, { limit: 2 });
      expect(first.map((e) => e.target)).toEqual(['exception:2', 'exception:1']);
      const next = await listAudit(store.db, { limit: 2, before: first.at(-1)!.id });
      expect(next.map((e) => e.target)).toEqual(['exception:0']);
      expect(next[0]).toMatchObject({ actor, action: 'exception.create', detail: { i: 0 } });
    } finally {
      await store.close();
    }
  });
});
