import { describe, expect, it } from 'vitest';
import { compileProgram, runProgram } from './program.js';

describe('runProgram', () => {
  it('evaluates variables only when used: an erroring variable nobody reads does no harm', () => {
    const program = compileProgram('p', {
      variables: [
        { name: 'broken', expression: 'object.missing.field' },
        { name: 'ok', expression: 'object.n + 1' },
      ],
      validations: [{ expression: 'variables.ok == 3' }],
    });
    expect(runProgram(program, { object: { n: 2n } }).failures).toEqual([]);
    const uses = compileProgram('p', {
      variables: [{ name: 'broken', expression: 'object.missing.field' }],
      validations: [{ expression: 'variables.broken == 1' }],
    });
    expect(runProgram(uses, { object: {} }).failures[0]?.message).toMatch(
      /resulted in error: No such key: missing/,
    );
  });

  it('skips on a false match condition even when another errors; an error alone follows failurePolicy', () => {
    const source = (failurePolicy: 'Fail' | 'Ignore') => ({
      failurePolicy,
      matchConditions: [
        { name: 'errors', expression: 'object.nope == 1' },
        { name: 'gate', expression: 'object.go' },
      ],
      validations: [{ expression: 'false' }],
    });
    expect(runProgram(compileProgram('p', source('Fail')), { object: { go: false } }).matched).toBe(false);
    expect(runProgram(compileProgram('p', source('Fail')), { object: { go: true } }).failures).toHaveLength(
      1,
    );
    expect(runProgram(compileProgram('p', source('Ignore')), { object: { go: true } }).failures).toEqual([]);
  });

  it('falls back to the static message when messageExpression fails or yields a blank or multi-line string', () => {
    for (const messageExpression of ['object.nope', '"  "', '"a\\nb"']) {
      const program = compileProgram('p', {
        validations: [{ expression: 'false', message: 'static', messageExpression }],
      });
      expect(runProgram(program, { object: {} }).failures[0]?.message).toBe('static');
    }
  });
});
