import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Bound parameters one statement may carry. SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32 (the
 * better-sqlite3 build keeps that default); PostgreSQL allows 65535, so SQLite's is the bound for both.
 */
export const MAX_STATEMENT_PARAMETERS = 32_766;

/**
 * Rows of `columns` values that fit in one statement, after `reserved` other parameters. Derived from the
 * limit rather than written per table, so a table that gains a column never overflows its insert.
 */
export function rowsPerStatement(columns: number, reserved = 0): number {
  if (columns < 1) throw new RangeError(`rowsPerStatement: ${columns} columns`);
  return Math.max(1, Math.floor((MAX_STATEMENT_PARAMETERS - reserved) / columns));
}

/** `list` cut into statement-sized parts for rows of `columns` values (raw multi-row SQL, as vulndb/store.ts). */
export function chunked<T>(list: readonly T[], columns: number, reserved = 0): T[][] {
  const size = rowsPerStatement(columns, reserved);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Insert `rows` into `table` in as few multi-row statements as the parameter limit allows. Opens no
 * transaction: a caller that needs all-or-nothing passes its `Transaction`. The column count is the union of
 * the rows' keys, the most values any row of the statement binds.
 * @example await insertChunks(tx, 'findings', rows)
 */
export async function insertChunks<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = new Set(rows.flatMap((r) => Object.keys(r as object))).size;
  for (const part of chunked(rows, Math.max(columns, 1))) {
    // Kysely cannot narrow a generic table name to its row type; the signature above keeps callers typed
    await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(part as Record<string, unknown>[])
      .execute();
  }
}
