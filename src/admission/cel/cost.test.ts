import { describe, expect, it } from 'vitest';
import { CostLimitError, PER_CALL_LIMIT, withinPolicyBudget } from '../../cel/cost.js';
import { compileExpression } from './compile.js';
import { compileProgram, runProgram } from './program.js';

const items = (n: number) => ({ object: { items: Array.from({ length: n }, (_, i) => BigInt(i)) } });
/** Three nested comprehensions over `object.items`: about 10 nodes per innermost step. */
const CUBIC = 'object.items.all(a, object.items.all(b, object.items.all(c, a + b + c >= 0)))';

describe('CEL runtime cost', () => {
  it('stops a runaway expression at the per-call limit, and charges every evaluated node', () => {
    const cubic = compileExpression(CUBIC, 'bool');
    expect(cubic(items(10))).toBe(true); // ~10,000 nodes
    expect(() => cubic(items(200))).toThrow(CostLimitError); // ~80 million nodes, stopped after one million
    expect(() => cubic(items(200))).toThrow(/at most 1,000,000/);
    // each call starts with a full allowance
    for (let i = 0; i < 5; i++) expect(cubic(items(40))).toBe(true); // ~640,000 nodes each
  });

  it('an error the expression absorbs (error || true) does not hide an exceeded limit', () => {
    const absorbed = compileExpression(`(${CUBIC}) || true`, 'bool');
    expect(absorbed(items(5))).toBe(true);
    expect(() => absorbed(items(200))).toThrow(CostLimitError);
  });

  it('all expressions of one policy evaluation share the runtime budget', () => {
    const heavy = compileExpression(CUBIC, 'bool');
    const results: string[] = [];
    withinPolicyBudget(() => {
      // between 0.68 and 1 million each (44³ innermost steps): under the per-call limit, so only the shared
      // 10 million budget can stop them, after 10 to 14 runs
      for (let i = 0; i < 20 && results.at(-1)?.startsWith('CEL') !== true; i++) {
        try {
          heavy(items(44));
          results.push('ok');
        } catch (error) {
          results.push((error as Error).message);
        }
      }
    });
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => r === 'ok').length).toBeLessThanOrEqual(14);
    expect(results.at(-1)).toMatch(/cost budget of 10,000,000 is spent/);
    // outside a policy evaluation the same expression runs again with no budget spent
    expect(heavy(items(44))).toBe(true);
    expect(PER_CALL_LIMIT).toBe(1_000_000);
  });

  it('an exhausted expression goes through the failure policy like any evaluation error', () => {
    const program = (failurePolicy: 'Fail' | 'Ignore') =>
      compileProgram('p', { failurePolicy, validations: [{ expression: CUBIC }] });
    const denied = runProgram(program('Fail'), items(200));
    expect(denied.failures).toEqual([
      {
        message: expect.stringMatching(/resulted in error: CEL evaluation stopped/),
        reason: 'InternalError',
      },
    ]);
    expect(runProgram(program('Ignore'), items(200)).failures).toEqual([]);
    expect(runProgram(program('Fail'), items(20)).failures).toEqual([]);
  });
});
