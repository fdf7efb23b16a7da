import { describe, expect, it } from 'vitest';
import { canonicalJson, reportDigest } from './canonical.js';

describe('canonical JSON', () => {
  it('sorts keys at every level and keeps arrays in order, as JSON.stringify would write the values', () => {
    const doc = { b: [3, { y: 1, x: [null, 'é'] }], a: { d: undefined, c: true }, n: -0.5 };
    expect(canonicalJson(doc)).toBe('{"a":{"c":true},"b":[3,{"x":[null,"é"],"y":1}],"n":-0.5}');
    expect(JSON.parse(canonicalJson(doc))).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('gives one digest for the same document whatever the key order', () => {
    expect(reportDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(reportDigest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(reportDigest({ a: 1 })).not.toBe(reportDigest({ a: 2 }));
  });
});

describe('canonical JSON, fast and by-hand paths', () => {
  const cases: [string, unknown][] = [
    [
      'integer-like keys sort as text',
      { b: 1, a: { '10': 1, '2': 2, z: [{ y: undefined, x: () => 1, w: null }] } },
    ],
    ['non-ASCII and upper-case keys', { é: 1, Z: 2, a: [1, 'a', null, undefined] }],
    ['toJSON values', { when: new Date(0), nested: { at: new Date(1) } }],
    ['a top-level array', [{ d: 1, c: 2 }, 'x']],
    ['a scalar', 'text'],
    ['an own __proto__ key, as JSON.parse makes one', JSON.parse('{"b":1,"__proto__":{"z":1,"a":2},"a":[]}')],
  ];
  // an independent reference: objects rebuilt from their sorted entries, text written member by member
  const reference = (v: unknown): string => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      return reference(JSON.parse(JSON.stringify(v)));
    if (Array.isArray(v))
      return `[${v.map((x) => (x === undefined || typeof x === 'function' ? 'null' : reference(x))).join(',')}]`;
    if (v !== null && typeof v === 'object')
      return `{${Object.entries(v)
        .filter(([, x]) => x !== undefined && typeof x !== 'function')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => `${JSON.stringify(k)}:${reference(x)}`)
        .join(',')}}`;
    return JSON.stringify(v);
  };
  it.each(cases)('%s: the same text as the reference', (_label, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('writes integer-like keys in text order, as the first version of the digest did', () => {
    expect(canonicalJson({ b: 1, a: { '10': 1, '2': 2 } })).toBe('{"a":{"10":1,"2":2},"b":1}');
    expect(canonicalJson({ z: { y: 1, x: 2 }, é: 1, Z: 2 })).toBe('{"Z":2,"z":{"x":2,"y":1},"é":1}');
    expect(canonicalJson([new Date(0), undefined, () => 1])).toBe('["1970-01-01T00:00:00.000Z",null,null]');
  });
});
