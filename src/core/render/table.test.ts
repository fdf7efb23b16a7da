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
