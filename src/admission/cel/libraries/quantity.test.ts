import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('quantity library', () => {
  it.each([
    ['quantity("1.5Gi") == quantity("1536Mi")', true],
    ['quantity("500m").isLessThan(quantity("1"))', true],
    ['quantity("200M").isGreaterThan(quantity("100M"))', true],
    ['quantity("200M").compareTo(quantity("0.2G"))', 0n],
    ['quantity("1k").asInteger()', 1000n],
    ['quantity("1.5").isInteger()', false],
    ['quantity("9999999999999999999999999999999").isInteger()', false],
    ['quantity("1.5").asApproximateFloat()', 1.5],
    ['quantity("-1").sign()', -1n],
    ['quantity("0").sign()', 0n],
    ['quantity("50M").add(quantity("50M")) == quantity("100M")', true],
    ['quantity("50k").add(20) == quantity("50020")', true],
    ['quantity("50k").sub(quantity("20k")) == quantity("30k")', true],
    ['quantity("1e3").asInteger()', 1000n],
    ['quantity("1E").asInteger()', 10n ** 18n],
    ['quantity("0.0000000001").isGreaterThan(quantity("0"))', true],
    ['isQuantity("1.3")', true],
    ['isQuantity("1x")', false],
    ['isQuantity(" 1")', false],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('raises an evaluation error for a malformed quantity and for a fractional asInteger', () => {
    expect(() => run('quantity("two")')).toThrow(/quantities must match/);
    expect(() => run('quantity("1.5").asInteger()')).toThrow(/cannot convert/);
  });
});
