import { library } from '../library.js';
import { re2, re2Global } from '../support/re2.js';

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const re = re2Global(pattern);
  const out: string[] = [];
  for (const m of s.matchAll(re)) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

/**
 * Kubernetes regex library (`'abc 123'.find('[0-9]+') == '123'`), plus RE2-compatible `matches`: expressions'
 * `matches` calls are routed to `re2Matches` at compile time so that `(?i)` and other RE2 syntax work.
 */
export const regexLibrary = library(
  'regex',
  'Regular expressions (`find`, `findAll`, RE2 flags for `matches`)',
  {
    'string.find(string): string': (s: string, p: string) => re2(p).exec(s)?.[0] ?? '',
    'string.findAll(string): list<string>': (s: string, p: string) => findAll(s, p, -1n),
    'string.findAll(string, int): list<string>': (s: string, p: string, n: bigint) => findAll(s, p, n),
    'string.re2Matches(string): bool': (s: string, p: string) => re2(p).test(s),
    're2Matches(string, string): bool': (s: string, p: string) => re2(p).test(s),
  },
);
