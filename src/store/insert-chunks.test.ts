import { describe, expect, it } from 'vitest';
import { chunked, chunksOf, MAX_STATEMENT_PARAMETERS, rowsPerStatement } from './insert-chunks.js';

describe('statement-sized parts', () => {
  it('chunksOf cuts a lazily made sequence into the same parts as chunked, taking one item at a time', () => {
    const columns = 1000;
    const size = rowsPerStatement(columns);
    expect(size).toBe(Math.floor(MAX_STATEMENT_PARAMETERS / columns));
    const list = Array.from({ length: size * 2 + 3 }, (_, i) => i);
    let made = 0;
    function* lazily() {
      for (const n of list) {
        made++;
        yield n;
      }
    }
    const parts = chunksOf(lazily(), columns);
    const first = parts.next();
    // the first part is handed over before the rest of the sequence is made
    expect(first.value).toEqual(list.slice(0, size));
    expect(made).toBe(size);
    expect([first.value, ...parts]).toEqual(chunked(list, columns));
    expect([...chunksOf([], columns)]).toEqual([]);
  });
});
