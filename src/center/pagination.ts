import type { KeysetAfter, KeysetOrder, KeysetRequest } from '../store/center-queries/keyset.js';
import { CenterError } from './errors.js';
import type { Page, PageQuery } from './types.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/**
 * One sortable field of a list: the API name (`severity`), the column it orders by and how to read that value
 * back from a row for the next cursor. Every list declares its fields in a table; docs/center.md lists them.
 */
export interface SortField<Row> {
  column: string;
  value(row: Row): string | number;
}

export interface SortTable<Row> {
  fields: Readonly<Record<string, SortField<Row>>>;
  /** The unique tie-breaker column and its value. */
  tiebreak: { column: string; value(row: Row): string | number };
  /** `-severity`, `name`… */
  default: string;
}

/** What a service passes to a store query, plus what it needs to build the page afterwards. */
export interface PagePlan<Row> {
  request: KeysetRequest;
  limit: number;
  sort: string;
  field: SortField<Row>;
  table: SortTable<Row>;
}

interface CursorBody {
  /** The sort the cursor was made for: a cursor of another sort is refused, not misread. */
  s: string;
  v: string | number;
  i: string | number;
}

export function parseLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw new CenterError('BULKHEAD_ERR_VALIDATION', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

export function encodeCursor(sort: string, after: KeysetAfter): string {
  const body: CursorBody = { s: sort, v: after.value, i: after.id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): KeysetAfter {
  const invalid = new CenterError('BULKHEAD_ERR_CURSOR_INVALID', 'cursor is not one this list returned');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const b = body as Partial<CursorBody> | null;
  const scalar = (x: unknown): x is string | number => typeof x === 'string' || typeof x === 'number';
  if (!b || typeof b !== 'object' || b.s !== sort || !scalar(b.v) || !scalar(b.i)) throw invalid;
  return { value: b.v, id: b.i };
}

/** Check limit, sort and cursor of a list query against the list's sort table. */
export function planPage<Row>(query: PageQuery, table: SortTable<Row>): PagePlan<Row> {
  const limit = parseLimit(query.limit);
  const sort = query.sort ?? table.default;
  const desc = sort.startsWith('-');
  const name = desc ? sort.slice(1) : sort;
  const field = Object.hasOwn(table.fields, name) ? table.fields[name] : undefined;
  if (!field)
    throw new CenterError(
      'BULKHEAD_ERR_VALIDATION',
      `sort must be one of ${Object.keys(table.fields)
        .map((f) => `${f}, -${f}`)
        .join(', ')}`,
    );
  const order: KeysetOrder = { column: field.column, tiebreak: table.tiebreak.column, desc };
  const after = query.cursor === undefined || query.cursor === '' ? null : decodeCursor(query.cursor, sort);
  return { request: { order, after, fetch: limit + 1 }, limit, sort, field, table };
}

/** Cut the extra row fetched and make the cursor of the next page from the last row kept. */
export function toPage<Row, R extends Row, Item>(
  plan: PagePlan<Row>,
  rows: R[],
  total: number,
  present: (row: R) => Item,
): Page<Item> {
  const more = rows.length > plan.limit;
  const kept = more ? rows.slice(0, plan.limit) : rows;
  const last = kept.at(-1);
  const next =
    more && last !== undefined
      ? encodeCursor(plan.sort, { value: plan.field.value(last), id: plan.table.tiebreak.value(last) })
      : null;
  return { items: kept.map(present), next, total };
}

/**
 * The same cursor contract over a list computed in memory (recommendations: a few hundred rows derived from
 * aggregates): sort by the field then the tie-breaker, continue after the cursor's row.
 */
export function pageInMemory<Row, Item>(
  rows: readonly Row[],
  query: PageQuery,
  table: SortTable<Row>,
  present: (row: Row) => Item,
): Page<Item> {
  const plan = planPage(query, table);
  const sign = plan.request.order.desc ? -1 : 1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const key = (r: Row) => [plan.field.value(r), table.tiebreak.value(r)] as const;
  const sorted = [...rows].sort((a, b) => {
    const [av, ai] = key(a);
    const [bv, bi] = key(b);
    return sign * (cmp(av, bv) || cmp(ai, bi));
  });
  const after = plan.request.after;
  const start = after
    ? sorted.filter((r) => {
        const [v, i] = key(r);
        return sign * (cmp(v, after.value) || cmp(i, after.id)) > 0;
      })
    : sorted;
  return toPage(plan, start.slice(0, plan.request.fetch), rows.length, present);
}
