import { describe, expect, it } from 'vitest';
import { describeShapeProblem, jsonShapeProblem } from './json-shape.js';

/** `depth` arrays, one inside the other, around a number. */
const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('jsonShapeProblem', () => {
  it('passes ordinary values, and nesting up to the limit', () => {
    expect(jsonShapeProblem({ a: [{ b: 'x' }, null, 3], c: 'y' }, 64)).toBeUndefined();
    expect(jsonShapeProblem(nested(64), 64)).toBeUndefined();
    expect(jsonShapeProblem(undefined, 64)).toBeUndefined();
    expect(jsonShapeProblem('plain', 64)).toBeUndefined();
  });

  it('finds nesting past the limit without overflowing on far deeper values', () => {
    expect(jsonShapeProblem(nested(65), 64)).toMatchObject({ problem: 'too-deep' });
    const deep = jsonShapeProblem({ x: nested(200_000) }, 3);
    expect(deep).toEqual({ path: 'x[0][0]', problem: 'too-deep' });
    expect(describeShapeProblem(deep!, 3)).toBe('nests deeper than 3 levels');
  });

  it('names where a NUL character is, in a value or a key', () => {
    expect(jsonShapeProblem({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 64)).toEqual({
      path: 'a[1].c',
      problem: 'nul',
    });
    expect(jsonShapeProblem({ 'k\u0000': 1 }, 64)).toEqual({ path: 'k\u0000', problem: 'nul' });
    expect(jsonShapeProblem('\u0000', 64)).toEqual({ path: '', problem: 'nul' });
  });

  it('keeps the path it reports short', () => {
    const problem = jsonShapeProblem({ ['k'.repeat(500)]: '\u0000' }, 64)!;
    expect(problem.path).toBe(`${'k'.repeat(120)}…`);
  });

  it('judges own keys only, as they are serialised: an inherited key is no part of the value', () => {
    const inherited = Object.create({ 'bad\u0000': 'x\u0000' }) as Record<string, unknown>;
    inherited.ok = [{ fine: 'yes' }];
    expect(jsonShapeProblem(inherited, 64)).toBeUndefined();
    inherited.own = { deeper: ['x\u0000'] };
    expect(jsonShapeProblem(inherited, 64)).toEqual({ path: 'own.deeper[0]', problem: 'nul' });
  });
});
