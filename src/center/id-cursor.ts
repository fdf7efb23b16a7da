import { CenterError } from './errors.js';
import type { PageQuery } from './types.js';

/**
 * Pages of lists ordered by id (reports, exceptions): the cursor is the last id served, opaque to clients.
 * Sorting is by id only (ids follow creation time), ascending or descending.
 */
export interface IdPage {
  limit: number;
  after?: number;
  descending: boolean;
}

export function idPage(query: PageQuery, sortable: readonly string[], defaultDescending: boolean): IdPage {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new CenterError('BULKHEAD_ERR_VALIDATION', `limit must be an integer from 1 to 500, not ${limit}`);
  let descending = defaultDescending;
  if (query.sort !== undefined) {
    const field = query.sort.replace(/^-/, '');
    if (!sortable.includes(field))
      throw new CenterError(
        'BULKHEAD_ERR_VALIDATION',
        `cannot sort by "${field}" (use ${sortable.join(', ')})`,
      );
    descending = query.sort.startsWith('-');
  }
  const page: IdPage = { limit, descending };
  if (query.cursor !== undefined) page.after = decodeCursor(query.cursor);
  return page;
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const { id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (typeof id === 'number' && Number.isInteger(id)) return id;
  } catch {}
  throw new CenterError('BULKHEAD_ERR_CURSOR_INVALID', 'cursor is not one this list gave');
}

/** The next cursor: the last id when the page is full, else null. */
export function nextCursor(items: readonly { id: number }[], limit: number): string | null {
  return items.length === limit ? encodeCursor(items[items.length - 1]!.id) : null;
}
