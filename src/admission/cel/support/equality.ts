import { EvaluationError } from '@marcbachmann/cel-js';

/** A CEL value whose JavaScript class gives its own equality (quantity, IP, CIDR, URL, semver). */
export interface CelComparable {
  equals(other: unknown): boolean;
}

function isComparable(v: unknown): v is CelComparable {
  return typeof v === 'object' && v !== null && typeof (v as { equals?: unknown }).equals === 'function';
}

function numeric(v: unknown): bigint | number | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && v.constructor?.name === 'UnsignedInt')
    return v.valueOf() as bigint;
  return undefined;
}

function entriesOf(v: object): [unknown, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (Array.isArray(v) || v instanceof Uint8Array || v instanceof Date) return undefined;
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
    return Object.entries(v);
  return undefined;
}

/** CEL equality: numbers compare across int/uint/double, lists and maps element-wise, other values by kind. */
export function celEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    // biome-ignore lint/suspicious/noDoubleEquals: CEL compares int, uint and double by value
    return na == nb;
  }
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (isComparable(a)) return a.equals(b);
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Uint8Array)
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  const ea = entriesOf(a);
  const eb = entriesOf(b);
  if (!ea || !eb) return a.valueOf() === b.valueOf() && a.constructor === b.constructor;
  if (ea.length !== eb.length) return false;
  const mb = new Map(eb);
  return ea.every(([k, v]) => mb.has(k) && celEquals(v, mb.get(k)));
}

/** Ordering of two CEL values of the same orderable kind (numbers, strings, bools, bytes, timestamps, durations). */
export function celCompare(a: unknown, b: unknown): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return Math.sign(a.length - b.length);
  }
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    a.constructor === b.constructor
  ) {
    if (typeof (a as { compareTo?: unknown }).compareTo === 'function')
      return (a as unknown as { compareTo(o: unknown): number }).compareTo(b);
    if (a.constructor.name === 'Duration') return Math.sign(Number(a.valueOf()) - Number(b.valueOf()));
  }
  throw new EvaluationError('no such overload: values are not comparable');
}
