import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('regex library', () => {
  it.each([
    ['"abc 123".find("[0-9]+")', '123'],
    ['"abc".find("[0-9]+")', ''],
    ['"123 abc 456".findAll("[0-9]+")', ['123', '456']],
    ['"123 abc 456".findAll("[0-9]+", 1)', ['123']],
    ['"123 abc 456".findAll("[0-9]+", 0)', []],
    ['"ABC".matches("(?i)^abc$")', true],
    ['"abc".matches("^b")', false],
    ['"a1".matches("^[[:alpha:]][[:digit:]]$")', true],
    ['"abc".matches("\\\\Aabc\\\\z")', true],
    ['"2024-01".find("(?P<y>[0-9]{4})")', '2024'],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('reports an invalid pattern as an evaluation error', () => {
    expect(() => run('"a".find("(")')).toThrow(/invalid regular expression/);
  });
});
