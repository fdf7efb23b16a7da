import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('lists library', () => {
  it.each([
    ['[1, 2, 3].isSorted()', true],
    ['["a", "c", "b"].isSorted()', false],
    ['[].isSorted()', true],
    ['[1, 2, 3].sum()', 6n],
    ['[1.5, 2.5].sum()', 4],
    ['[].sum()', 0n],
    ['[1, 2, 3].min()', 1n],
    ['[1, 2, 3].max()', 3n],
    ['["b", "a"].min()', 'a'],
    ['[1, 2, 2, 3].indexOf(2)', 1n],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
    ['["a"].indexOf("z")', -1n],
    ['[1, 2, 3, 4].slice(1, 3)', [2n, 3n]],
    ['[[1, 2], [3]].flatten()', [1n, 2n, 3n]],
    ['[1, 2, 1].distinct()', [1n, 2n]],
    ['[1, 2].reverse()', [2n, 1n]],
    ['[3, 1, 2].sort()', [1n, 2n, 3n]],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('raises errors for an empty min and an out-of-range slice', () => {
    expect(() => run('[].min()')).toThrow(/empty list/);
    expect(() => run('[1].slice(0, 2)')).toThrow(/out of range/);
  });
});
