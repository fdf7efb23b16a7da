import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations/index.js';
import { freshDatabase, type TestDatabase } from './test-support/dialects.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./test-support/open-child.ts', import.meta.url));

/** Open the store in a real `node` process (TypeScript through tsx), as two CLI commands or serve would. */
async function openInChild(url: string, home: string, startAt: number): Promise<string[]> {
  const args = ['--import', 'tsx', CHILD, url, home, String(startAt)];
  const { stdout } = await run(process.execPath, args, { timeout: 60_000 });
  return JSON.parse(stdout) as string[];
}

describe('opening a fresh store at once from two places', () => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('SQLite: processes opening at once all succeed and the migrations run once', async () => {
    database = await freshDatabase('sqlite');
    // four rather than two: without the lock a pair collides only about one time in three
    const startAt = Date.now() + 5000;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => openInChild(database.url, database.home, startAt)),
    );
    expect(results).toEqual(results.map(() => Object.keys(migrations)));
    const store = await database.open();
    const rows = await store.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(rows).toHaveLength(Object.keys(migrations).length);
    await store.close();
  }, 120_000);

  it('PostgreSQL: two concurrent openStore calls on a fresh schema both succeed', async () => {
    database = await freshDatabase('postgres');
    const stores = await Promise.all([database.open(), database.open(), database.open()]);
    for (const store of stores) {
      expect(await store.db.selectFrom('scans').selectAll().execute()).toEqual([]);
      await store.close();
    }
  }, 60_000);

  it('PostgreSQL: two processes both succeed', async () => {
    database = await freshDatabase('postgres');
    const startAt = Date.now() + 4000;
    const results = await Promise.all([
      openInChild(database.url, database.home, startAt),
      openInChild(database.url, database.home, startAt),
    ]);
    expect(results).toEqual([Object.keys(migrations), Object.keys(migrations)]);
  }, 120_000);
});
