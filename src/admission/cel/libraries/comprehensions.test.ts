import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string, object: unknown = {}) => compileExpression(e)({ object });

describe('two-variable comprehensions', () => {
  it.each([
    ['[1, 2, 3].all(i, v, v > i)', true],
    ['[0, 2].all(i, v, v > i)', false],
    ['{"a": 1, "b": 2}.all(k, v, v > 0)', true],
    ['[1, 2].exists(i, v, i == 1 && v == 2)', true],
    ['{"a": 1}.exists(k, v, k == "b")', false],
    ['[1, 2, 3].existsOne(i, v, v == i + 1 && i == 0)', true],
    ['[1, 2, 3].exists_one(i, v, v > 1)', false],
    ['[10, 20].transformList(i, v, i * v)', [0n, 20n]],
    ['[10, 20, 30].transformList(i, v, i > 0, v / 10)', [2n, 3n]],
    ['{"a": 1, "b": 2}.transformList(k, v, k + string(v))', ['a1', 'b2']],
    ['{"a": 1, "b": 2}.transformMap(k, v, v * 10)["b"]', 20n],
    ['{"a": 1, "b": 2}.transformMap(k, v, v > 1, v).size()', 1n],
    ['{"a": "x"}.transformMapEntry(k, v, {v: k})["x"]', 'a'],
    ['[1, 2].all(x, x > 0)', true],
    ['object.labels.all(k, v, k.startsWith("app") && v != "")', true],
  ])('%s', (expr, want) => {
    expect(run(expr, { labels: { app: 'web', 'app.kubernetes.io/name': 'x' } })).toEqual(want);
  });

  it('keeps a decisive result over an error elsewhere, and raises the error otherwise', () => {
    expect(run('object.l.all(i, v, v.x > 0)', { l: [{ x: 0n }, {}] })).toBe(false);
    expect(() => run('object.l.all(i, v, v.x > 0)', { l: [{ x: 1n }, {}] })).toThrow(/No such key/);
  });

  it('rejects a duplicate key from transformMapEntry and a non-identifier variable at compile time', () => {
    expect(() => run('["a", "a"].transformMapEntry(i, v, {v: i})')).toThrow(/duplicate key/);
    expect(() => compileExpression('[1].all(1, v, true)')).toThrow(/identifiers/);
  });
});
