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
  // one statement: the pragma as a table-valued function, beside this connection's change count
  const { rows } = await sql<{ v: number; n: number }>`
    select data_version as v, total_changes() as n from pragma_data_version`.execute(store.db);
  return `${rows[0]?.v ?? 0}:${rows[0]?.n ?? 0}`;
}
