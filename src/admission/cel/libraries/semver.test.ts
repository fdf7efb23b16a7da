import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('semver library', () => {
  it.each([
    ['isSemver("1.0.0")', true],
    ['isSemver("1.0.0-alpha.1+build.5")', true],
    ['isSemver("1.0")', false],
    ['isSemver("v1.0")', false],
    ['isSemver("v1.0", true)', true],
    ['isSemver("01.02.03", true)', true],
    ['semver("1.2.3").major()', 1n],
    ['semver("1.2.3").minor()', 2n],
    ['semver("1.2.3").patch()', 3n],
    ['semver("v1.2", true).patch()', 0n],
    ['semver("1.2.3").isLessThan(semver("1.10.0"))', true],
    ['semver("2.0.0").isGreaterThan(semver("1.99.99"))', true],
    ['semver("1.2.3-alpha").compareTo(semver("1.2.3"))', -1n],
    ['semver("1.2.3").compareTo(semver("1.2.3"))', 0n],
    ['semver("1.2.3") == semver("1.2.3")', true],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('rejects an invalid version', () => {
    expect(() => run('semver("1.2")')).toThrow(/invalid semver/);
  });
});
