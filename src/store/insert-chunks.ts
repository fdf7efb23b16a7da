import { CompiledQuery, type Insertable, type Kysely, sql, type Transaction } from 'kysely';
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
 * `items` cut into statement-sized parts as they are produced: only one part is held at a time, so rows derived
 * from a large input (an advisory feed's affected packages) are never all built at once.
 */
export function* chunksOf<T>(items: Iterable<T>, columns: number, reserved = 0): Generator<T[]> {
  const size = rowsPerStatement(columns, reserved);
  let part: T[] = [];
  for (const item of items) {
    part.push(item);
    if (part.length === size) {
      yield part;
      part = [];
    }
  }
  if (part.length > 0) yield part;
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
  const uniform = uniformColumns(rows as readonly Record<string, unknown>[]);
  if (uniform) return insertUniform(db, table, uniform, rows as readonly Record<string, unknown>[]);
  const columns = new Set(rows.flatMap((r) => Object.keys(r as object))).size;
  for (const part of chunked(rows, Math.max(columns, 1))) {
    // Kysely cannot narrow a generic table name to its row type; the signature above keeps callers typed
    await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(part as Record<string, unknown>[])
      .execute();
  }
}

/** The column names when every row has the same keys and no `undefined` value, else null. */
function uniformColumns(rows: readonly Record<string, unknown>[]): string[] | null {
  const columns = Object.keys(rows[0]!);
  if (columns.length === 0) return null;
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length) return null;
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== columns[i] || row[keys[i]!] === undefined) return null;
  }
  return columns;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Rows that all bind the same columns, written as multi-row INSERTs whose text is built here rather than through
 * Kysely's builder: for a 300-finding report the builder's per-value nodes cost more than SQLite's insert. Table
 * and column names come from our own code (the schema's names) and are checked; values are always bound.
 */
async function insertUniform(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (const name of [table, ...columns])
    if (!IDENTIFIER.test(name)) throw new RangeError(`insertChunks: "${name}" is not a plain identifier`);
  const numbered = placeholderStyle(db) === 'numbered';
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  for (const part of chunked(rows, columns.length)) {
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of part) {
      const marks: string[] = [];
      for (const c of columns) {
        parameters.push(row[c]);
        marks.push(numbered ? `$${parameters.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}

const styles = new WeakMap<object, 'numbered' | 'question'>();

/** `$1` (PostgreSQL) or `?` (SQLite): read once from how this database's dialect compiles a parameter. */
function placeholderStyle(db: Db): 'numbered' | 'question' {
  const executor = db.getExecutor();
  let style = styles.get(executor.adapter);
  if (!style) {
    style = sql`${0}`.compile(db).sql.includes('$1') ? 'numbered' : 'question';
    styles.set(executor.adapter, style);
  }
  return style;
}
