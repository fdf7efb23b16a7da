import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageInMemory, planPage, type SortTable } from './pagination.js';

interface Row {
  id: number;
  n: number;
}

const TABLE: SortTable<Row> = {
  fields: { n: { column: 'n', value: (r) => r.n } },
  tiebreak: { column: 'id', value: (r) => r.id },
  default: '-n',
};

describe('pagination', () => {
  it('round-trips a cursor and refuses one made for another sort or not made by us', () => {
    const cursor = encodeCursor('-n', { value: 3, id: 'image:sha256:x' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, '-n')).toEqual({ value: 3, id: 'image:sha256:x' });
    expect(() => decodeCursor(cursor, 'n')).toThrow(
      expect.objectContaining({ code: 'BULKHEAD_ERR_CURSOR_INVALID' }),
    );
    for (const bad of ['', '!!', 'eyJ4IjoxfQ', Buffer.from('[1,2]').toString('base64url')])
      expect(() => decodeCursor(bad, '-n')).toThrow(
        expect.objectContaining({ code: 'BULKHEAD_ERR_CURSOR_INVALID' }),
      );
  });

  it('checks limit and sort', () => {
    expect(planPage({}, TABLE).limit).toBe(50);
    expect(planPage({ limit: 500 }, TABLE).request.fetch).toBe(501);
    for (const limit of [0, 501, 1.5])
      expect(() => planPage({ limit }, TABLE)).toThrow(
        expect.objectContaining({ code: 'BULKHEAD_ERR_VALIDATION' }),
      );
    expect(() => planPage({ sort: 'id' }, TABLE)).toThrow(/sort must be one of n, -n/);
  });

  it('pages a list in memory with ties broken by id', () => {
    const rows: Row[] = [1, 2, 3, 4, 5].map((id) => ({ id, n: id % 2 }));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = pageInMemory(rows, { limit: 2, ...(cursor ? { cursor } : {}) }, TABLE, (r) => r.id);
      expect(page.total).toBe(5);
      seen.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual([5, 3, 1, 4, 2]);
  });
});
