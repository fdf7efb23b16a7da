import { type Expression, type SqlBool, sql } from 'kysely';

/**
 * Keyset pagination shared by the center's list queries: order by one sort column then a unique tie-breaker,
 * both in the same direction, and continue strictly after the last row seen. A row-value comparison lets
 * SQLite and PostgreSQL both walk an index range instead of counting an offset.
 */
export interface KeysetOrder {
  /** Qualified column, e.g. `f.severity_rank`. */
  column: string;
  /** The unique tie-breaker, e.g. `f.id`. */
  tiebreak: string;
  desc: boolean;
  /**
   * Hide both columns from SQLite's index choice (`+col`), when another filter's index is the better path and the
   * sort index would otherwise be walked whole. Only for numeric columns: PostgreSQL has no unary plus on text.
   */
  unindexed?: boolean;
}

/** Where the previous page stopped: the sort value and tie-breaker of its last row. */
export interface KeysetAfter {
  value: string | number;
  id: string | number;
}

export interface KeysetRequest {
  order: KeysetOrder;
  after: KeysetAfter | null;
  /** Rows to fetch: the page size plus one, so the caller knows whether a next page exists. */
  fetch: number;
}

/** `(column, tiebreak) > / < (value, id)` for the continuation of a page. */
export function keysetCondition(order: KeysetOrder, after: KeysetAfter): Expression<SqlBool> {
  const op = order.desc ? sql.raw('<') : sql.raw('>');
  const plus = sql.raw(order.unindexed ? '+' : '');
  return sql<SqlBool>`(${plus}${sql.ref(order.column)}, ${plus}${sql.ref(order.tiebreak)}) ${op} (${after.value}, ${after.id})`;
}

/** The ORDER BY column of a keyset order, unary plus included when asked. */
export function orderColumn(order: KeysetOrder, column: string) {
  return order.unindexed ? sql`+${sql.ref(column)}` : sql.ref(column);
}

/**
 * The LIMIT of a page written into the statement: a bound LIMIT cost SQLite a tenth of a millisecond more on a
 * fifty-row page than the same number written in. The number is the page size plus one (checked to 2–501 by the
 * center's pagination), so the statement cache holds at most a few hundred variants and usually two or three.
 */
export function pageLimit(fetch: number) {
  if (!Number.isSafeInteger(fetch) || fetch < 1)
    throw new Error(`page limit ${fetch} is not a positive integer`);
  return sql.lit(fetch);
}

/** The columns a cursor is made from: the sort column and the tie-breaker, once each. */
export function cursorColumns(order: KeysetOrder): string[] {
  return order.column === order.tiebreak ? [order.column] : [order.column, order.tiebreak];
}
