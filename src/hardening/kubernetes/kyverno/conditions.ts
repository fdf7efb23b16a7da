import { parseQuantity } from '../quantity.js';
import { deepEqual, isObject } from './values.js';
import { substitute, substituteAll } from './variables.js';
import { wildcardMatch } from './wildcard.js';

/** One Kyverno condition (`preconditions`, `deny.conditions`, foreach `preconditions`). */
export interface Condition {
  key: unknown;
  operator: string;
  value?: unknown;
  message?: string;
}

/** `{any: [...], all: [...]}`, or the older plain list (all must hold). */
export type Conditions = { any?: Condition[]; all?: Condition[] } | Condition[];

export const CONDITION_OPERATORS: ReadonlySet<string> = new Set([
  'Equals',
  'NotEquals',
  'Equal',
  'NotEqual',
  'In',
  'NotIn',
  'AnyIn',
  'AllIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
]);

export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

const DURATION_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** A Go duration (`1h30m`, `300ms`) in seconds, or undefined. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const m = /^([+-]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(v.trim());
  if (!m) return v.trim() === '0' ? 0 : undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * DURATION_UNIT[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function semver(v: unknown): number[] | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Kyverno's scalar equality: numbers across types, quantities, durations, wildcards in strings. */
export function scalarEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'string' && typeof value === 'string') {
    if (wildcardMatch(value, key) || wildcardMatch(key, value)) return true;
    const [dk, dv] = [parseDuration(key), parseDuration(value)];
    if (dk !== undefined && dv !== undefined && (/[a-zµ]$/.test(key) || /[a-zµ]$/.test(value)))
      return dk === dv;
    const [qk, qv] = [parseQuantity(key), parseQuantity(value)];
    return qk !== undefined && qv !== undefined && qk === qv;
  }
  if (typeof key === 'number' || typeof value === 'number') {
    const [a, b] = [numeric(key), numeric(value)];
    return a !== undefined && b !== undefined && a === b;
  }
  if (typeof key === 'boolean' || typeof value === 'boolean') return String(key) === String(value);
  if (key === null || value === null)
    return key === value || (key === null && value === '') || (value === null && key === '');
  return deepEqual(key, value);
}

/** A numeric range in a value: `5000-6000` (inside) or `5000!-6000` (outside). */
function inRange(key: unknown, range: string): boolean | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(!?)-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(range);
  if (!m) return undefined;
  const k = numeric(key);
  if (k === undefined) return false;
  const inside = k >= Number(m[1]) && k <= Number(m[3]);
  return m[2] === '!' ? !inside : inside;
}

function member(key: unknown, set: unknown[]): boolean {
  return set.some((v) => {
    if (typeof v === 'string') {
      const r = inRange(key, v);
      if (r !== undefined) return r;
    }
    if (Array.isArray(key) || isObject(key)) return deepEqual(key, v);
    return scalarEquals(key, v);
  });
}

function setOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  return [value];
}

function order(key: unknown, value: unknown): number | undefined {
  const [nk, nv] = [numeric(key), numeric(value)];
  if (nk !== undefined && nv !== undefined) return nk - nv;
  const [qk, qv] = [parseQuantity(key), parseQuantity(value)];
  if (qk !== undefined && qv !== undefined) return qk - qv;
  const [dk, dv] = [parseDuration(key), parseDuration(value)];
  if (dk !== undefined && dv !== undefined) return dk - dv;
  const [sk, sv] = [semver(key), semver(value)];
  if (sk && sv) return sk[0]! - sv[0]! || sk[1]! - sv[1]! || sk[2]! - sv[2]!;
  return undefined;
}

function durationOrder(key: unknown, value: unknown): number | undefined {
  const toSeconds = (v: unknown) => (typeof v === 'number' ? v : parseDuration(v));
  const [a, b] = [toSeconds(key), toSeconds(value)];
  return a === undefined || b === undefined ? undefined : a - b;
}

/** Apply one operator to already substituted key and value. */
export function applyOperator(operator: string, key: unknown, value: unknown): boolean {
  const keys = Array.isArray(key) ? key : [key];
  const set = setOf(value);
  switch (operator) {
    case 'Equals':
    case 'Equal':
      return Array.isArray(key) || isObject(key) ? deepEqual(key, value) : scalarEquals(key, value);
    case 'NotEquals':
    case 'NotEqual':
      return !applyOperator('Equals', key, value);
    case 'AnyIn':
      return keys.some((k) => member(k, set));
    case 'AllIn':
      return keys.every((k) => member(k, set));
    case 'AnyNotIn':
      return keys.some((k) => !member(k, set));
    case 'AllNotIn':
      return keys.every((k) => !member(k, set));
    case 'In':
      return Array.isArray(key) ? keys.every((k) => member(k, set)) : member(key, set);
    case 'NotIn':
      return !applyOperator('In', key, value);
    case 'GreaterThan':
    case 'GreaterThanOrEquals':
    case 'LessThan':
    case 'LessThanOrEquals':
    case 'DurationGreaterThan':
    case 'DurationGreaterThanOrEquals':
    case 'DurationLessThan':
    case 'DurationLessThanOrEquals': {
      const d = operator.startsWith('Duration') ? durationOrder(key, value) : order(key, value);
      if (d === undefined) return false;
      const op = operator.replace('Duration', '');
      if (op === 'GreaterThan') return d > 0;
      if (op === 'GreaterThanOrEquals') return d >= 0;
      if (op === 'LessThan') return d < 0;
      return d <= 0;
    }
    default:
      throw new ConditionError(`unknown condition operator "${operator}"`);
  }
}

/** Evaluate one condition: substitute key and value, then apply the operator. */
export function evaluateCondition(c: Condition, context: unknown): boolean {
  const key = typeof c.key === 'string' ? substitute(c.key, context) : substituteAll(c.key, context);
  const value = substituteAll(c.value ?? null, context);
  return applyOperator(c.operator, key, value);
}

/** `any` (one must hold) and `all` (each must hold); a plain list is `all`. No conditions hold. */
export function evaluateConditions(conditions: Conditions | undefined, context: unknown): boolean {
  if (!conditions) return true;
  if (Array.isArray(conditions)) return conditions.every((c) => evaluateCondition(c, context));
  const any = conditions.any ?? [];
  const all = conditions.all ?? [];
  if (any.length > 0 && !any.some((c) => evaluateCondition(c, context))) return false;
  return all.every((c) => evaluateCondition(c, context));
}
