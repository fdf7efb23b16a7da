import { compareDigits, rangeMatcher } from './range.js';
import type { VersionScheme } from './types.js';

/** Items of Maven's ComparableVersion: numbers, qualifiers and sub-lists (opened by '-' or a digit/letter switch). */
type Item =
  | { kind: 'int'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1)
    v = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[v] ?? v;
  return { kind: 'string', value: ALIASES[v] ?? v };
}

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return /^0*$/.test(item.value);
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: buf.replace(/^0+/, '') || '0' } : stringItem(buf, false);
}

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMaven(version: string): Item {
  const v = version.trim().toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const open = () => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'int', value: '0' } : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(v.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, v.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (v.length > start) list.push(parseItem(isDigit, v.slice(start)));
  while (stack.length) normalize(stack.pop()!);
  return { kind: 'list', items: root };
}

function compareItem(a: Item, b: Item | null): number {
  if (a.kind === 'int') {
    if (b === null) return isNull(a) ? 0 : 1;
    if (b.kind === 'int') return compareDigits(a.value, b.value);
    return 1;
  }
  if (a.kind === 'string') {
    if (b === null) return Math.sign(comparableQualifier(a.value).localeCompare(RELEASE_INDEX, 'en'));
    if (b.kind === 'string') {
      const x = comparableQualifier(a.value);
      const y = comparableQualifier(b.value);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return -1;
  }
  if (b === null) {
    for (const item of a.items) {
      const r = compareItem(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
    const l = a.items[i] ?? null;
    const r = b.items[i] ?? null;
    const result = l === null ? (r === null ? 0 : -compareItem(r, l)) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

function compare(a: string, b: string): number {
  return compareItem(parseMaven(a), parseMaven(b));
}

/** Maven version ranges: `[1.0,2.0)`, `(,1.0]`, `[1.2]`, `[1.0,)`, unions `(,1.0],[1.2,)`; a bare version is exact. */
function inMavenRange(v: string, spec: string): boolean {
  const s = spec.replace(/\s+/g, '');
  if (!/^[[(]/.test(s)) return s.split('||').some((x) => compare(v, x) === 0);
  const ranges = s.match(/[[(][^\])]*[\])]/g) ?? [];
  return ranges.some((r) => {
    const lowerInclusive = r[0] === '[';
    const upperInclusive = r.at(-1) === ']';
    const body = r.slice(1, -1);
    if (!body.includes(',')) return compare(v, body) === 0;
    const [lower = '', upper = ''] = body.split(',');
    if (lower) {
      const c = compare(v, lower);
      if (c < 0 || (c === 0 && !lowerInclusive)) return false;
    }
    if (upper) {
      const c = compare(v, upper);
      if (c > 0 || (c === 0 && !upperInclusive)) return false;
    }
    return true;
  });
}

/** Maven artifacts: ComparableVersion order (qualifiers alpha < beta < milestone < rc < snapshot < release < sp) and range syntax. */
export const maven = {
  name: 'maven',
  description: 'Maven artifacts: ComparableVersion order and version range syntax',
  namespaces: ['maven'],
  valid: (v: string) => v.trim().length > 0,
  compare,
  inRange: rangeMatcher(compare, inMavenRange),
} satisfies VersionScheme;
