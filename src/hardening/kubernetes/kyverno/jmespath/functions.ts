import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { ExpRef, JmesPathError } from './parse.js';

type Apply = (ref: ExpRef, value: unknown) => unknown;
type Fn = (args: unknown[], apply: Apply) => unknown;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ExpRef);

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function need(name: string, args: unknown[], count: number | [number, number]): void {
  const [min, max] = Array.isArray(count) ? count : [count, count];
  if (args.length < min || args.length > max)
    throw new JmesPathError(
      `${name}() takes ${min === max ? min : `${min}-${max}`} arguments, got ${args.length}`,
    );
}

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new JmesPathError(`${name}() expects a string, got ${typeOf(v)}`);
  return v;
}

function arr(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new JmesPathError(`${name}() expects an array, got ${typeOf(v)}`);
  return v;
}

function num(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new JmesPathError(`${name}() expects a number, got ${typeOf(v)}`);
  return v;
}

function ordered(name: string, values: unknown[]): (number | string)[] {
  if (values.length === 0) return [];
  const t = typeof values[0];
  if ((t !== 'number' && t !== 'string') || values.some((v) => typeof v !== t))
    throw new JmesPathError(`${name}() expects an array of numbers or of strings`);
  return values as (number | string)[];
}

const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

function asString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Kyverno's wildcard match: `*` any run, `?` any one character. */
function wildcard(pattern: string, text: string): boolean {
  const re = `^${pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.')}$`;
  return new RegExp(re, 's').test(text);
}

/** The JMESPath built-ins and the Kyverno extensions policies use. */
export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  abs: (a) => {
    need('abs', a, 1);
    return Math.abs(num('abs', a[0]));
  },
  avg: (a) => {
    need('avg', a, 1);
    const l = arr('avg', a[0]).map((x) => num('avg', x));
    return l.length ? l.reduce((s, x) => s + x, 0) / l.length : null;
  },
  ceil: (a) => {
    need('ceil', a, 1);
    return Math.ceil(num('ceil', a[0]));
  },
  floor: (a) => {
    need('floor', a, 1);
    return Math.floor(num('floor', a[0]));
  },
  contains: (a) => {
    need('contains', a, 2);
    if (typeof a[0] === 'string') return typeof a[1] === 'string' && a[0].includes(a[1]);
    return arr('contains', a[0]).some((x) => JSON.stringify(x) === JSON.stringify(a[1]));
  },
  ends_with: (a) => {
    need('ends_with', a, 2);
    return str('ends_with', a[0]).endsWith(str('ends_with', a[1]));
  },
  starts_with: (a) => {
    need('starts_with', a, 2);
    return str('starts_with', a[0]).startsWith(str('starts_with', a[1]));
  },
  join: (a) => {
    need('join', a, 2);
    return arr('join', a[1])
      .map((x) => str('join', x))
      .join(str('join', a[0]));
  },
  keys: (a) => {
    need('keys', a, 1);
    if (!isObj(a[0])) throw new JmesPathError(`keys() expects an object, got ${typeOf(a[0])}`);
    return Object.keys(a[0]);
  },
  values: (a) => {
    need('values', a, 1);
    if (!isObj(a[0])) throw new JmesPathError(`values() expects an object, got ${typeOf(a[0])}`);
    return Object.values(a[0]);
  },
  length: (a) => {
    need('length', a, 1);
    const v = a[0];
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObj(v)) return Object.keys(v).length;
    throw new JmesPathError(`length() expects a string, array or object, got ${typeOf(v)}`);
  },
  map: (a, apply) => {
    need('map', a, 2);
    return arr('map', a[1]).map((x) => apply(a[0] as ExpRef, x) ?? null);
  },
  max: (a) => {
    need('max', a, 1);
    const l = ordered('max', arr('max', a[0]));
    return l.length ? l.reduce((m, x) => (cmp(x, m) > 0 ? x : m)) : null;
  },
  min: (a) => {
    need('min', a, 1);
    const l = ordered('min', arr('min', a[0]));
    return l.length ? l.reduce((m, x) => (cmp(x, m) < 0 ? x : m)) : null;
  },
  max_by: (a, apply) => {
    need('max_by', a, 2);
    const l = arr('max_by', a[0]);
    const keys = ordered(
      'max_by',
      l.map((x) => apply(a[1] as ExpRef, x)),
    );
    let best = -1;
    keys.forEach((k, i) => {
      if (best < 0 || cmp(k, keys[best]!) > 0) best = i;
    });
    return best < 0 ? null : l[best];
  },
  min_by: (a, apply) => {
    need('min_by', a, 2);
    const l = arr('min_by', a[0]);
    const keys = ordered(
      'min_by',
      l.map((x) => apply(a[1] as ExpRef, x)),
    );
    let best = -1;
    keys.forEach((k, i) => {
      if (best < 0 || cmp(k, keys[best]!) < 0) best = i;
    });
    return best < 0 ? null : l[best];
  },
  merge: (a) => Object.assign({}, ...a.map((x) => (isObj(x) ? x : {}))),
  not_null: (a) => a.find((x) => x !== null && x !== undefined) ?? null,
  reverse: (a) => {
    need('reverse', a, 1);
    if (typeof a[0] === 'string') return [...a[0]].reverse().join('');
    return [...arr('reverse', a[0])].reverse();
  },
  sort: (a) => {
    need('sort', a, 1);
    return [...ordered('sort', arr('sort', a[0]))].sort(cmp);
  },
  sort_by: (a, apply) => {
    need('sort_by', a, 2);
    const l = arr('sort_by', a[0]);
    const keys = ordered(
      'sort_by',
      l.map((x) => apply(a[1] as ExpRef, x)),
    );
    return l
      .map((x, i) => ({ x, k: keys[i]!, i }))
      .sort((p, q) => cmp(p.k, q.k) || p.i - q.i)
      .map((p) => p.x);
  },
  sum: (a) => {
    need('sum', a, 1);
    return arr('sum', a[0]).reduce((s: number, x) => s + num('sum', x), 0);
  },
  to_array: (a) => {
    need('to_array', a, 1);
    return Array.isArray(a[0]) ? a[0] : [a[0]];
  },
  to_number: (a) => {
    need('to_number', a, 1);
    if (typeof a[0] === 'number') return a[0];
    if (typeof a[0] === 'string' && a[0].trim() !== '' && Number.isFinite(Number(a[0]))) return Number(a[0]);
    return null;
  },
  to_string: (a) => {
    need('to_string', a, 1);
    return asString(a[0]);
  },
  type: (a) => {
    need('type', a, 1);
    return typeOf(a[0]);
  },
  // Kyverno's extensions
  to_upper: (a) => {
    need('to_upper', a, 1);
    return str('to_upper', a[0]).toUpperCase();
  },
  to_lower: (a) => {
    need('to_lower', a, 1);
    return str('to_lower', a[0]).toLowerCase();
  },
  trim: (a) => {
    need('trim', a, 2);
    const cut = new Set(str('trim', a[1]));
    const s = [...str('trim', a[0])];
    let i = 0;
    let j = s.length;
    while (i < j && cut.has(s[i]!)) i++;
    while (j > i && cut.has(s[j - 1]!)) j--;
    return s.slice(i, j).join('');
  },
  trim_prefix: (a) => {
    need('trim_prefix', a, 2);
    const [s, p] = [str('trim_prefix', a[0]), str('trim_prefix', a[1])];
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  split: (a) => {
    need('split', a, 2);
    return str('split', a[0]).split(str('split', a[1]));
  },
  replace: (a) => {
    need('replace', a, 4);
    const [s, from, to, n] = [
      str('replace', a[0]),
      str('replace', a[1]),
      str('replace', a[2]),
      num('replace', a[3]),
    ];
    if (n < 0) return s.split(from).join(to);
    let out = s;
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const at = out.indexOf(from, pos);
      if (at < 0) break;
      out = out.slice(0, at) + to + out.slice(at + from.length);
      pos = at + to.length;
    }
    return out;
  },
  replace_all: (a) => {
    need('replace_all', a, 3);
    return str('replace_all', a[0]).split(str('replace_all', a[1])).join(str('replace_all', a[2]));
  },
  regex_match: (a) => {
    need('regex_match', a, 2);
    return new RegExp(str('regex_match', a[0])).test(asString(a[1]));
  },
  regex_replace_all: (a) => {
    need('regex_replace_all', a, 3);
    return asString(a[1]).replace(
      new RegExp(str('regex_replace_all', a[0]), 'g'),
      str('regex_replace_all', a[2]).replace(/\$\{?(\d+)\}?/g, '$$$1'),
    );
  },
  regex_replace_all_literal: (a) => {
    need('regex_replace_all_literal', a, 3);
    return asString(a[1]).replace(new RegExp(str('regex_replace_all_literal', a[0]), 'g'), () =>
      str('regex_replace_all_literal', a[2]),
    );
  },
  pattern_match: (a) => {
    need('pattern_match', a, 2);
    return wildcard(str('pattern_match', a[0]), asString(a[1]));
  },
  equal_fold: (a) => {
    need('equal_fold', a, 2);
    return str('equal_fold', a[0]).toLowerCase() === str('equal_fold', a[1]).toLowerCase();
  },
  compare: (a) => {
    need('compare', a, 2);
    return cmp(str('compare', a[0]), str('compare', a[1]));
  },
  truncate: (a) => {
    need('truncate', a, 2);
    return str('truncate', a[0]).slice(0, Math.max(0, num('truncate', a[1])));
  },
  base64_decode: (a) => {
    need('base64_decode', a, 1);
    return Buffer.from(str('base64_decode', a[0]), 'base64').toString('utf8');
  },
  base64_encode: (a) => {
    need('base64_encode', a, 1);
    return Buffer.from(str('base64_encode', a[0]), 'utf8').toString('base64');
  },
  label_match: (a) => {
    need('label_match', a, 2);
    const [sel, labels] = a;
    if (!isObj(sel) || !isObj(labels)) throw new JmesPathError('label_match() expects two objects');
    return Object.entries(sel).every(([k, v]) => labels[k] === v);
  },
  lookup: (a) => {
    need('lookup', a, 2);
    if (Array.isArray(a[0])) return typeof a[1] === 'number' ? (a[0][a[1]] ?? null) : null;
    return isObj(a[0]) && typeof a[1] === 'string' ? (a[0][a[1]] ?? null) : null;
  },
  items: (a) => {
    need('items', a, [1, 3]);
    const [k, v] = [a[1] ?? 'key', a[2] ?? 'value'] as [string, string];
    if (Array.isArray(a[0])) return a[0].map((x, i) => ({ [k]: i, [v]: x }));
    if (!isObj(a[0])) throw new JmesPathError(`items() expects an object or array, got ${typeOf(a[0])}`);
    return Object.keys(a[0])
      .sort()
      .map((key) => ({ [k]: key, [v]: (a[0] as Record<string, unknown>)[key] }));
  },
  object_from_lists: (a) => {
    need('object_from_lists', a, 2);
    const [ks, vs] = [arr('object_from_lists', a[0]), arr('object_from_lists', a[1])];
    return Object.fromEntries(ks.map((k, i) => [String(k), vs[i] ?? null]));
  },
  semver_compare: (a) => {
    need('semver_compare', a, 2);
    const v = semver.coerce(str('semver_compare', a[0]), { includePrerelease: true });
    return v !== null && semver.satisfies(v, str('semver_compare', a[1]), { includePrerelease: true });
  },
  parse_json: (a) => {
    need('parse_json', a, 1);
    try {
      return JSON.parse(str('parse_json', a[0]));
    } catch (error) {
      throw new JmesPathError(`parse_json(): ${(error as Error).message}`);
    }
  },
  parse_yaml: (a) => {
    need('parse_yaml', a, 1);
    try {
      return parseYaml(str('parse_yaml', a[0])) ?? null;
    } catch (error) {
      throw new JmesPathError(`parse_yaml(): ${(error as Error).message}`);
    }
  },
  path_canonicalize: (a) => {
    need('path_canonicalize', a, 1);
    return posix.normalize(str('path_canonicalize', a[0]));
  },
  sha256: (a) => {
    need('sha256', a, 1);
    return createHash('sha256').update(str('sha256', a[0])).digest('hex');
  },
  to_boolean: (a) => {
    need('to_boolean', a, 1);
    const v = str('to_boolean', a[0]).toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new JmesPathError(`to_boolean(): "${v}" is not a boolean`);
  },
  add: (a) => {
    need('add', a, 2);
    return num('add', a[0]) + num('add', a[1]);
  },
  subtract: (a) => {
    need('subtract', a, 2);
    return num('subtract', a[0]) - num('subtract', a[1]);
  },
  multiply: (a) => {
    need('multiply', a, 2);
    return num('multiply', a[0]) * num('multiply', a[1]);
  },
  divide: (a) => {
    need('divide', a, 2);
    if (num('divide', a[1]) === 0) throw new JmesPathError('divide() by zero');
    return num('divide', a[0]) / num('divide', a[1]);
  },
  modulo: (a) => {
    need('modulo', a, 2);
    return num('modulo', a[0]) % num('modulo', a[1]);
  },
  round: (a) => {
    need('round', a, 2);
    const f = 10 ** num('round', a[1]);
    return Math.round(num('round', a[0]) * f) / f;
  },
};
