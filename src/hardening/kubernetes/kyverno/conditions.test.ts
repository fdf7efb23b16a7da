import { describe, expect, it } from 'vitest';
import { applyOperator, evaluateConditions } from './conditions.js';
import { matchScalar } from './scalar-pattern.js';

describe('Kyverno condition operators', () => {
  it.each([
    ['Equals', 'nginx:1.25', 'nginx:*', true],
    ['Equals', 3, '3', true],
    ['Equals', '1Gi', '1024Mi', true],
    ['NotEquals', 'CREATE', 'DELETE', true],
    ['Equals', { a: 1 }, { a: 1 }, true],
    ['AnyIn', [80, 5500], '5000-6000', true],
    ['AnyNotIn', [80, 5500], '5000-6000', true],
    ['AllIn', [5100, 5500], '5000-6000', true],
    ['AllIn', [80, 5500], ['5000-6000'], false],
    ['AllNotIn', ['a', 'b'], ['c'], true],
    ['AnyIn', 'kube-system', ['kube-*'], true],
    ['AnyNotIn', 'ALL', ['ALL'], false],
    ['AnyNotIn', '', ['name', ''], false],
    ['In', ['a', 'b'], ['a', 'b', 'c'], true],
    ['NotIn', 'd', ['a', 'b'], true],
    ['GreaterThan', '2Gi', '1Gi', true],
    ['LessThanOrEquals', 3, '3', true],
    ['GreaterThan', 'v1.25.0', '1.24', true],
    ['DurationGreaterThan', '2h', '90m', true],
    ['DurationLessThan', '30s', '1m', true],
  ])('%s %j %j → %s', (op, key, value, want) => {
    expect(applyOperator(op, key, value)).toBe(want);
  });

  it('refuses an unknown operator', () => {
    expect(() => applyOperator('Sometimes', 1, 1)).toThrow(/unknown condition operator/);
  });

  it('any / all blocks and the older plain list', () => {
    const ctx = { request: { operation: 'CREATE' } };
    const c = (value: string) => ({ key: '{{ request.operation }}', operator: 'Equals', value });
    expect(evaluateConditions({ any: [c('DELETE'), c('CREATE')] }, ctx)).toBe(true);
    expect(evaluateConditions({ any: [c('DELETE')], all: [c('CREATE')] }, ctx)).toBe(false);
    expect(evaluateConditions([c('CREATE'), c('UPDATE')], ctx)).toBe(false);
    expect(evaluateConditions(undefined, ctx)).toBe(true);
  });
});

describe('Kyverno scalar patterns', () => {
  it.each([
    ['a', 'a', true],
    ['abc', 'a*', true],
    ['', '?*', false],
    [undefined, '?*', false],
    [undefined, '<5', true],
    [4, '>3 & <5', true],
    [6, '>3 & <5', false],
    [22, '1-1024 | 8080', true],
    [8080, '1-1024 | 8080', true],
    [2000, '1-1024 | 8080', false],
    [2000, '1!-1024', true],
    ['500m', '<1', true],
    [true, true, true],
    ['true', true, false],
    [0, null, true],
    ['3', 3, true],
    [1.5, 1.5, true],
    ['x', '!y', true],
  ])('%j ~ %j → %s', (value, pattern, want) => {
    expect(matchScalar(value, pattern)).toBe(want);
  });
});
