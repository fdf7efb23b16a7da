import type { AffectedRange, RangeEvent } from '../model.js';

type Compare = (a: string, b: string) => number;

const OPS = ['>=', '<=', '!=', '==', '>', '<', '='] as const;

/**
 * A generic comparator range: alternatives separated by `||`, each a list of `OP VERSION` separated by commas
 * or spaces (`>= 1.2, < 2.0`). A bare version means `= VERSION`.
 */
export function comparatorRange(compare: Compare, v: string, range: string): boolean {
  return range.split('||').some((alt) => {
    const parts = alt.match(/(>=|<=|!=|==|>|<|=)?\s*([^\s,<>=!]+)/g) ?? [];
    if (parts.length === 0) return false;
    return parts.every((part) => {
      const op = OPS.find((o) => part.startsWith(o)) ?? '=';
      const target = part.slice(part.startsWith(op) ? op.length : 0).trim();
      return testOp(compare(v, target), op);
    });
  });
}

export function testOp(c: number, op: string): boolean {
  switch (op) {
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '!=':
      return c !== 0;
    default:
      return c === 0;
  }
}

function eventVersion(e: RangeEvent): string {
  return Object.values(e)[0] as string;
}

/**
 * OSV range evaluation (ossf.github.io/osv-schema, "Evaluation"): walk the events in version order; an
 * `introduced` at or below v opens the range, a `fixed` at or below v closes it, a `last_affected` below v
 * closes it; v must also be below every `limit`. `introduced: "0"` means from the beginning.
 */
export function inOsvRange(compare: Compare, v: string, events: readonly RangeEvent[]): boolean {
  const limits = events.filter((e) => 'limit' in e).map(eventVersion);
  if (limits.some((l) => l !== '*' && compare(v, l) >= 0)) return false;
  const sorted = events
    .filter((e) => !('limit' in e))
    .slice()
    .sort((a, b) => {
      const av = eventVersion(a);
      const bv = eventVersion(b);
      if ('introduced' in a && av === '0') return -1;
      if ('introduced' in b && bv === '0') return 1;
      return compare(av, bv);
    });
  let affected = false;
  for (const e of sorted) {
    if ('introduced' in e) {
      if (e.introduced === '0' || compare(v, e.introduced) >= 0) affected = true;
    } else if ('fixed' in e) {
      if (compare(v, e.fixed) >= 0) affected = false;
    } else if ('last_affected' in e) {
      if (compare(v, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** The shared `inRange` of a scheme: its native syntax for strings, OSV events or requirement lists otherwise. */
export function rangeMatcher(
  compare: Compare,
  native: (v: string, range: string) => boolean = (v, r) => comparatorRange(compare, v, r),
): (v: string, range: string | AffectedRange) => boolean {
  return (v, range) => {
    if (typeof range === 'string') return native(v, range);
    if (range.type === 'REQUIREMENTS') {
      if (range.affected !== undefined && !native(v, range.affected)) return false;
      return !range.unaffected.some((r) => native(v, r));
    }
    if (range.type === 'GIT') return false;
    return inOsvRange(compare, v, range.events);
  };
}

/** Compare two dot-less numeric strings of any length. */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
