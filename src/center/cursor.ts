import { CenterError } from './errors.js';

/** An opaque list cursor: base64url JSON of the last item's sort key. Clients only pass it back. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  check: (value: Record<string, unknown>) => value is T,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || !check(value as Record<string, unknown>)) {
    throw new CenterError('BULKHEAD_ERR_CURSOR_INVALID', 'cursor is not one this list gave out');
  }
  return value as T;
}

/** A cursor holding one numeric id. */
export function idCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  return decodeCursor(cursor, (v): v is { id: number } => Number.isInteger(v.id)).id;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  return Math.min(Math.max(1, Math.trunc(limit)), MAX_LIMIT);
}
