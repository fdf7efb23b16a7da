import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheSize, WRITE_CACHE_KIB, withBoundedPageCache } from './page-cache.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

describe.each(DIALECTS)('withBoundedPageCache on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('bounds the page cache while it writes and gives the store its own back, also on failure', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const own = dialect === 'sqlite' ? await cacheSize(store.db) : undefined;
    if (dialect === 'sqlite') expect(own).toBeLessThan(-WRITE_CACHE_KIB);
    const during = await withBoundedPageCache(store.db, async () =>
      dialect === 'sqlite' ? cacheSize(store.db) : 'written',
    );
    expect(during).toBe(dialect === 'sqlite' ? -WRITE_CACHE_KIB : 'written');
    await expect(
      withBoundedPageCache(store.db, async () => {
        throw new Error('write failed');
      }),
    ).rejects.toThrow('write failed');
    if (dialect === 'sqlite') expect(await cacheSize(store.db)).toBe(own);
    await store.close();
  });

  it('leaves a cache already smaller as it is', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    if (dialect === 'sqlite') {
      await sql`pragma cache_size = -1024`.execute(store.db);
      expect(await withBoundedPageCache(store.db, () => cacheSize(store.db))).toBe(-1024);
      expect(await cacheSize(store.db)).toBe(-1024);
    } else expect(await withBoundedPageCache(store.db, async () => 1)).toBe(1);
    await store.close();
  });
});
