import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_CASES } from './__fixtures__/table-cases.js';
import { renderTable, tableChunks } from './table.js';

const expected = JSON.parse(
  readFileSync(new URL('./__fixtures__/table-expected.json', import.meta.url), 'utf8'),
) as Record<string, string>;

describe('tableChunks', () => {
  it('has an expected text for every case', () => {
    expect(Object.keys(expected).sort()).toEqual(TABLE_CASES.map((c) => c.name).sort());
  });

  for (const c of TABLE_CASES)
    it(`writes the same text as before: ${c.name}`, () => {
      expect([...tableChunks(c.spec, c.options)].join('')).toBe(expected[c.name]);
      expect(renderTable(c.spec, c.options)).toBe(expected[c.name]);
    });

  it('writes details made as their row is drawn the same as details given', () => {
    for (const c of TABLE_CASES) {
      const spec = {
        ...c.spec,
        sections: c.spec.sections.map(({ details, ...section }) => ({
          ...section,
          detailsOf: (row: number) => details?.[row],
        })),
      };
      expect([...tableChunks(spec, c.options)].join('')).toBe(expected[c.name]);
    }
  });

  it('makes the details of a row only when it comes to that row', () => {
    const made: number[] = [];
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}` }));
    const chunks = tableChunks({
      columns: [{ key: 'id', header: 'ID' }],
      sections: [
        {
          rows,
          detailsOf: (i) => {
            made.push(i);
            return [`detail ${i}`];
          },
        },
      ],
    });
    const first = [chunks.next(), chunks.next(), chunks.next(), chunks.next()].map((c) => c.value);
    expect(first).toEqual(['ID\n', '───\n', 'r0\n', '    detail 0\n']);
    expect(made).toEqual([0]);
    expect([...chunks]).toHaveLength(2 * 99);
    expect(made).toEqual(rows.map((_, i) => i));
  });

  it('writes a large table one line per piece', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ id: `CVE-${i}`, severity: 'HIGH' }));
    const chunks = [
      ...tableChunks({
        columns: [
          { key: 'id', header: 'ID' },
          { key: 'severity', header: 'SEVERITY' },
        ],
        sections: [{ rows, details: rows.map((r) => [`why: ${r.id}`]) }],
      }),
    ];
    expect(chunks).toHaveLength(20_002);
    expect(chunks.every((c) => c.endsWith('\n') && c.indexOf('\n') === c.length - 1)).toBe(true);
  });
});
