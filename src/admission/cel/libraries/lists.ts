import { EvaluationError } from '@marcbachmann/cel-js';
import { library } from '../library.js';
import { celCompare, celEquals } from '../support/equality.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) {
    const total = (list as bigint[]).reduce((a, b) => a + b, 0n);
    if (total > INT64_MAX || total < INT64_MIN) throw new EvaluationError('integer overflow');
    return total;
  }
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
  const first = list[0] as { addDuration?: (o: unknown) => unknown };
  if (typeof first?.addDuration === 'function')
    return list.slice(1).reduce((a, b) => (a as { addDuration(o: unknown): unknown }).addDuration(b), first);
  throw new EvaluationError('sum() requires a list of int, uint, double or duration');
}

function extreme(list: unknown[], sign: number): unknown {
  if (list.length === 0) throw new EvaluationError(`${sign < 0 ? 'min' : 'max'}() called on an empty list`);
  return list.reduce((a, b) => (celCompare(b, a) * sign > 0 ? b : a));
}

function index(n: bigint, size: number, what: string): number {
  if (n < 0n || n > BigInt(size)) throw new EvaluationError(`${what} index out of range: ${n}`);
  return Number(n);
}

function flatten(list: unknown[], depth: number): unknown[] {
  if (depth < 0) throw new EvaluationError('flatten(): level must be non-negative');
  return list.flatMap((x) => (Array.isArray(x) && depth > 0 ? flatten(x, depth - 1) : [x]));
}

/**
 * Kubernetes lists library (isSorted, sum, min, max, indexOf, lastIndexOf) and the cel-go list extensions
 * Kubernetes also enables (slice, flatten, distinct, reverse, sort, first, last).
 */
export const listsLibrary = library(
  'lists',
  'List functions (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`, `slice`, `flatten`, `distinct`, `reverse`, `sort`)',
  {
    'list.isSorted(): bool': (l: unknown[]) => l.every((x, i) => i === 0 || celCompare(l[i - 1], x) <= 0),
    'list.sum(): dyn': sum,
    'list.min(): dyn': (l: unknown[]) => extreme(l, -1),
    'list.max(): dyn': (l: unknown[]) => extreme(l, 1),
    'list.indexOf(dyn): int': (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))),
    'list.lastIndexOf(dyn): int': (l: unknown[], v: unknown) => {
      for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
      return -1n;
    },
    'list.slice(int, int): list': (l: unknown[], a: bigint, b: bigint) => {
      const start = index(a, l.length, 'slice start');
      const end = index(b, l.length, 'slice end');
      if (start > end)
        throw new EvaluationError('slice(): start index must be less than or equal to end index');
      return l.slice(start, end);
    },
    'list.flatten(): list': (l: unknown[]) => flatten(l, 1),
    'list.flatten(int): list': (l: unknown[], d: bigint) => flatten(l, Number(d)),
    'list.distinct(): list': (l: unknown[]) => l.filter((x, i) => l.findIndex((y) => celEquals(x, y)) === i),
    'list.reverse(): list': (l: unknown[]) => [...l].reverse(),
    'list.sort(): list': (l: unknown[]) => [...l].sort(celCompare),
  },
);
