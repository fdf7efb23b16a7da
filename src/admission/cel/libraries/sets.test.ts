import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('sets library', () => {
  it.each([
    ['sets.contains([], [])', true],
    ['sets.contains([1, 2, 3, 4], [2, 3])', true],
    ['sets.contains([1, 2, 3], [4])', false],
    ['sets.contains([1, 2.0, 3u], [1.0, 2, 3])', true],
    ['sets.equivalent([], [])', true],
    ['sets.equivalent([1], [1, 1])', true],
    ['sets.equivalent([1, 2, 3], [3u, 2.0, 1])', true],
    ['sets.equivalent([1, 2], [2, 2, 2])', false],
    ['sets.intersects([1], [1, 2])', true],
    ['sets.intersects([1], [2])', false],
    ['sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])', true],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });
});
