import { library } from '../library.js';
import { re2 } from '../support/re2.js';

/**
 * Kubernetes regex library (`'abc 123'.find('[0-9]+') == '123'`), plus RE2 `matches`: expressions' `matches`
 * calls are routed to `re2Matches` at compile time, so every pattern runs on the RE2 engine, in linear time.
 */
export const regexLibrary = library(
  'regex',
  'Regular expressions (`find`, `findAll`, RE2 flags for `matches`)',
  {
    'string.find(string): string': (s: string, p: string) => re2(p).find(s) ?? '',
    'string.findAll(string): list<string>': (s: string, p: string) => re2(p).findAll(s),
    'string.findAll(string, int): list<string>': (s: string, p: string, n: bigint) =>
      re2(p).findAll(s, n < 0n ? -1 : Number(n)),
    'string.re2Matches(string): bool': (s: string, p: string) => re2(p).test(s),
    're2Matches(string, string): bool': (s: string, p: string) => re2(p).test(s),
  },
);
