import { parseQuantity } from '../quantity.js';
import { wildcardMatch } from './wildcard.js';

type Op = '' | '!' | '>' | '<' | '>=' | '<=';

const NOT_IN_RANGE = /^(\d+(?:\.\d+)?)([^-]*)!-(\d+(?:\.\d+)?)([^-]*)$/;
const IN_RANGE = /^(\d+(?:\.\d+)?)([^-]*)-(\d+(?:\.\d+)?)([^-]*)$/;

function operatorOf(pattern: string): Op | 'range' | 'notRange' {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return 'notRange';
  if (IN_RANGE.test(pattern)) return 'range';
  return '';
}

/** A quantity the way Kubernetes parses one: no spaces; a missing value counts as 0 (as Kyverno does). */
function quantity(v: unknown): number | undefined {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v !== v.trim() || v === '') return undefined;
  return parseQuantity(v);
}

function compareQuantity(value: unknown, pattern: string, op: Op): boolean {
  if (pattern !== pattern.trim() || pattern === '') return false;
  const p = parseQuantity(pattern);
  const v = quantity(value);
  if (p === undefined || v === undefined) return false;
  switch (op) {
    case '':
      return v === p;
    case '!':
      return v !== p;
    case '>':
      return v > p;
    case '<':
      return v < p;
    case '>=':
      return v >= p;
    case '<=':
      return v <= p;
  }
}

function compareString(value: unknown, pattern: string, op: Op): boolean {
  if (op !== '' && op !== '!') return false;
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else return false;
  const hit = wildcardMatch(pattern, text);
  return op === '!' ? !hit : hit;
}

function stringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === 'range') {
    const [lo, hi] = pattern.split('-');
    return stringPattern(value, `>= ${lo}`) && stringPattern(value, `<= ${hi}`);
  }
  if (op === 'notRange') {
    const [lo, hi] = pattern.split('!-');
    return stringPattern(value, `< ${lo}`) || stringPattern(value, `> ${hi}`);
  }
  const rest = pattern.slice(op.length).trim();
  return compareQuantity(value, rest, op) || compareString(value, rest, op);
}

/**
 * Does a resource value match a scalar pattern? Strings carry `|` (or), `&` (and), operators `!`, `>`, `<`,
 * `>=`, `<=`, ranges `a-b` and `a!-b`, wildcards; numbers compare across types; null matches zero values.
 */
export function matchScalar(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return value === pattern;
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    if (typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value.trim()))
      return Number(value) === pattern;
    return false;
  }
  if (pattern === null || pattern === undefined) {
    if (value === null || value === undefined) return true;
    if (typeof value === 'number') return value === 0;
    if (typeof value === 'string') return value === '';
    if (typeof value === 'boolean') return !value;
    return false;
  }
  if (typeof pattern === 'string') {
    if (value === pattern) return true;
    return pattern.split('|').some((alt) =>
      alt
        .trim()
        .split('&')
        .every((part) => stringPattern(value, part.trim())),
    );
  }
  if (typeof pattern === 'object' && !Array.isArray(pattern))
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return false;
}
