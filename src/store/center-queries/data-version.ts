import { sql } from 'kysely';
import type { Store } from '../open.js';

/**
 * A token that changes whenever anything in the database may have changed, read without touching a table, so a
 * list can reuse an exact count it made before. SQLite: `PRAGMA data_version` moves when another connection
 * (a CLI command, a second process) commits, `total_changes()` when this one writes. PostgreSQL has no such cheap
 * token: null there, and counts are always made afresh (they are fast enough on its parallel scans).
 */
export async function dataVersion(store: Store): Promise<string | null> {
  if (store.dialect !== 'sqlite') return null;
  const { rows: v } = await sql<{ data_version: number }>`pragma data_version`.execute(store.db);
  const { rows: c } = await sql<{ n: number }>`select total_changes() as n`.execute(store.db);
  return `${v[0]?.data_version ?? 0}:${c[0]?.n ?? 0}`;
}
