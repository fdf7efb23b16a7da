import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; multi-row inserts of many sizes would otherwise grow without bound. */
const CAPACITY = 512;

/**
 * The database as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text. Kysely
 * prepares every query afresh; an import of thousands of files spends as much time compiling the same
 * statements as running them. A statement still iterating (a streamed select) is never handed out twice:
 * a fresh one is prepared instead. Least recently used texts are dropped past the capacity.
 */
export function withStatementCache(sqlite: SqliteDatabase, capacity = CAPACITY): KyselySqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const stmt = sqlite.prepare(sql);
      if (!cached) {
        cache.set(sql, stmt);
        if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      }
      return stmt;
    },
  };
}
