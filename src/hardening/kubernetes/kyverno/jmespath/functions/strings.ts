import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { TYPE_ANY, TYPE_NUMBER, TYPE_STRING } from '@jmespath-community/jmespath';
import semver from 'semver';
import { fail, type KyvernoFunction } from './types.js';

const S = { types: [TYPE_STRING] };
const N = { types: [TYPE_NUMBER] };

/** Kyverno's string extensions (https://kyverno.io/docs/policy-types/cluster-policy/jmespath/). */
export const STRING_FUNCTIONS: readonly KyvernoFunction[] = [
  { name: 'to_upper', signature: [S], call: ([s]) => (s as string).toUpperCase() },
  { name: 'to_lower', signature: [S], call: ([s]) => (s as string).toLowerCase() },
  {
    name: 'trim_prefix',
    signature: [S, S],
    call: ([s, p]) =>
      (s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : (s as string),
  },
  {
    name: 'truncate',
    signature: [S, N],
    call: ([s, n]) => (s as string).slice(0, Math.max(0, n as number)),
  },
  {
    // Go's strings.Replace: a negative count replaces every occurrence (the built-in refuses it).
    name: 'replace',
    replaces: true,
    signature: [S, S, S, { types: [TYPE_NUMBER], optional: true }],
    call: ([s, from, to, n]) =>
      replace(s as string, from as string, to as string, (n as number | undefined) ?? -1),
  },
  {
    name: 'replace_all',
    signature: [S, S, S],
    call: ([s, from, to]) => (s as string).split(from as string).join(to as string),
  },
  {
    name: 'equal_fold',
    signature: [S, S],
    call: ([a, b]) => (a as string).toLowerCase() === (b as string).toLowerCase(),
  },
  {
    name: 'compare',
    signature: [S, S],
    call: ([a, b]) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0),
  },
  {
    name: 'semver_compare',
    signature: [S, S],
    call: ([v, range]) => {
      const version = semver.coerce(v as string, { includePrerelease: true });
      return version !== null && semver.satisfies(version, range as string, { includePrerelease: true });
    },
  },
  { name: 'path_canonicalize', signature: [S], call: ([p]) => posix.normalize(p as string) },
  {
    name: 'sha256',
    signature: [S],
    call: ([s]) =>
      createHash('sha256')
        .update(s as string)
        .digest('hex'),
  },
  {
    name: 'to_boolean',
    signature: [S],
    call: ([s]) => {
      const v = (s as string).toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      return fail('to_boolean', `"${s as string}" is not a boolean`);
    },
  },
  {
    name: 'base64_decode',
    signature: [S],
    call: ([s]) => Buffer.from(s as string, 'base64').toString('utf8'),
  },
  {
    name: 'base64_encode',
    signature: [S],
    call: ([s]) => Buffer.from(s as string, 'utf8').toString('base64'),
  },
  {
    name: 'pattern_match',
    signature: [S, { types: [TYPE_ANY] }],
    call: ([pattern, value]) => wildcard(pattern as string, asText(value)),
  },
];

function replace(s: string, from: string, to: string, count: number): string {
  if (count < 0) return s.split(from).join(to);
  let out = s;
  let pos = 0;
  for (let k = 0; k < count; k++) {
    const at = out.indexOf(from, pos);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    pos = at + to.length;
  }
  return out;
}

/** A value as the text Kyverno matches against: strings as they are, anything else as JSON. */
export function asText(v: unknown): string {
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
