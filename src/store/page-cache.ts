import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from './schema.js';

/** KiB of pages SQLite keeps in memory while a run's results are written; past it, dirty pages spill to the WAL. */
export const WRITE_CACHE_KIB = 8 * 1024;

/**
 * Run `write` with SQLite's page cache at most WRITE_CACHE_KIB, then give the connection its own size back. The
 * store's cache (64 MiB, sized for the center's reads) kept every page a run wrote until its commit: the 30 MB
 * written for a k8s scan of 10,000 Pods stayed in memory, where 8 MiB costs 6 MB and no time (the pages are new
 * and written once). A cache already smaller, or PostgreSQL, is left as it is.
 */
export async function withBoundedPageCache<T>(db: Kysely<Database>, write: () => Promise<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return write();
  const previous = await cacheSize(db);
  // negative: KiB (as the store sets it); positive: pages of a size not looked at, left alone
  if (previous === undefined || previous >= -WRITE_CACHE_KIB) return write();
  await sql.raw(`pragma cache_size = ${-WRITE_CACHE_KIB}`).execute(db);
  try {
    return await write();
  } finally {
    await sql.raw(`pragma cache_size = ${previous}`).execute(db);
  }
}

/** The connection's `cache_size`, when SQLite gives an integer. */
export async function cacheSize(db: Kysely<Database>): Promise<number | undefined> {
  const { rows } = await sql<{ cache_size: unknown }>`pragma cache_size`.execute(db);
  const size = rows[0]?.cache_size;
  return Number.isInteger(size) ? (size as number) : undefined;
}
