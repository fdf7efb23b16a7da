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
