import { describe, expect, it } from 'vitest';
import { jsonChunks, renderJson } from './json.js';

const joined = (doc: unknown) => [...jsonChunks(doc)].join('');

describe('jsonChunks', () => {
  it('writes exactly what renderJson writes', () => {
    const row = (i: number) => ({
      control: `C-${i}`,
      message: `line "${i}"\nnext`,
      standards: ['cis', 'nsa'],
      resource: { kind: 'Pod', name: `p${i}`, labels: {} },
      field: i % 2 ? undefined : 'spec.x',
      when: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
      nested: [[1, 2], [], [{ a: null }]],
    });
    const docs: unknown[] = [
      {},
      [],
      'text',
      42,
      null,
      { a: [], b: {}, c: [undefined, () => 1, Symbol('x')], d: undefined, e: Number.NaN },
      { apiVersion: 'x/v1', kind: 'Report', results: Array.from({ length: 1000 }, (_, i) => row(i)) },
      { runs: [{ tool: { name: 't' }, results: Array.from({ length: 300 }, (_, i) => row(i)) }] },
      Array.from({ length: 700 }, (_, i) => (i % 3 ? row(i) : i)),
    ];
    for (const doc of docs) expect(joined(doc)).toBe(renderJson(doc));
  });

  it('writes a large array one element per piece', () => {
    const doc = { results: Array.from({ length: 10_000 }, (_, i) => ({ i })) };
    const chunks = [...jsonChunks(doc)];
    expect(chunks.length).toBeGreaterThan(10_000);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64);
  });
});
