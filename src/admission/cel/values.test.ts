import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.js';
import { MAX_VALUE_DEPTH, toCel } from './values.js';

describe('toCel', () => {
  it('turns integral numbers into CEL ints, keeps doubles and drops null fields', () => {
    expect(toCel({ a: 3, b: 1.5, c: null, d: [1, null], e: 'x', f: true })).toEqual({
      a: 3n,
      b: 1.5,
      d: [1n, null],
      e: 'x',
      f: true,
    });
  });

  it('makes a null field absent for has(), as the API server does', () => {
    const has = compileExpression('has(object.spec.procMount)');
    expect(has({ object: toCel({ spec: { procMount: null } }) })).toBe(false);
    expect(has({ object: toCel({ spec: { procMount: 'Default' } }) })).toBe(true);
  });

  it('turns a too deeply nested subtree into an evaluation error, leaving the rest readable', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    const object = toCel({ name: 'x', deep });
    expect(compileExpression('object.name == "x"')({ object })).toBe(true);
    let path = 'object.deep';
    for (let i = 0; i < MAX_VALUE_DEPTH; i++) path += '.next';
    expect(() => compileExpression(`has(${path})`)({ object })).toThrow(/nested deeper/);
  });
});
