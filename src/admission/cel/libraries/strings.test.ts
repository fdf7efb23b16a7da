import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('strings library', () => {
  it.each([
    ['"hello".charAt(4)', 'o'],
    ['"hello".charAt(5)', ''],
    ['"hello".indexOf("")', 0n],
    ['"hello mellow".indexOf("ello", 2)', 7n],
    ['"hello mellow".lastIndexOf("ello")', 7n],
    ['"TacoCat".lowerAscii()', 'tacocat'],
    ['"TacoCat".upperAscii()', 'TACOCAT'],
    ['"hello hello".replace("he", "we")', 'wello wello'],
    ['"hello hello".replace("he", "we", 1)', 'wello hello'],
    ['"hello hello".replace("he", "we", 0)', 'hello hello'],
    ['"hello hello".split(" ")', ['hello', 'hello']],
    ['"hello hello hello".split(" ", 2)', ['hello', 'hello hello']],
    ['"tacocat".substring(4)', 'cat'],
    ['"tacocat".substring(0, 4)', 'taco'],
    ['"  \\ttrim\\n    ".trim()', 'trim'],
    ['["hello", "mellow"].join(" ")', 'hello mellow'],
    ['"gums".reverse()', 'smug'],
    ['strings.quote("single-quote with \\"double quote\\"")', '"single-quote with \\"double quote\\""'],
    ['strings.quote("line\\nbreak")', '"line\\nbreak"'],
    ['"this is a string: %s".format(["test"])', 'this is a string: test'],
    ['"%d apples, %.2f pears, %f".format([3, 1.5, 2.0])', '3 apples, 1.50 pears, 2.000000'],
    ['"%s and %s".format([[1, 2], true])', '[1, 2] and true'],
    ['"%x %X %o %b".format([255, "hi", 8, 5])', 'ff 6869 10 101'],
    ['"%e".format([1052.032911275])', '1.052033e+03'],
    ['"100%% %s".format(["done"])', '100% done'],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('raises errors for an out-of-range charAt and a wrong format argument', () => {
    expect(() => run('"abc".charAt(4)')).toThrow(/out of range/);
    expect(() => run('"%d".format([1.5])')).toThrow(/integer/);
    expect(() => run('"%s %s".format(["a"])')).toThrow(/out of range/);
  });
});
