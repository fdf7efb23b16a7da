import { TYPE_ANY, TYPE_STRING } from '@jmespath-community/jmespath';
import { userRegex } from '../../../../../regex/re2.js';
import { asText } from './strings.js';
import type { KyvernoFunction } from './types.js';

const S = { types: [TYPE_STRING] };
const ANY = { types: [TYPE_ANY] };

/** Kyverno's regular-expression extensions, in RE2 syntax as Kyverno (Go) reads them, matched in linear time. */
export const REGEX_FUNCTIONS: readonly KyvernoFunction[] = [
  {
    name: 'regex_match',
    signature: [S, ANY],
    call: ([pattern, value]) => userRegex(pattern as string).test(asText(value)),
  },
  {
    // Go's Regexp.ReplaceAllString: `$1` and `${1}` name groups.
    name: 'regex_replace_all',
    signature: [S, ANY, S],
    call: ([pattern, value, by]) =>
      userRegex(pattern as string).replaceAll(asText(value), (by as string).replace(/\$\{(\w+)\}/g, '$$$1')),
  },
  {
    name: 'regex_replace_all_literal',
    signature: [S, ANY, S],
    call: ([pattern, value, by]) =>
      userRegex(pattern as string).replaceAll(asText(value), () => by as string),
  },
];
