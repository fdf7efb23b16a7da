import { EvaluationError } from '@marcbachmann/cel-js';
import { library } from '../library.js';
import { format, quote } from '../support/format.js';

/** Receiver of `strings.quote(…)`. */
class StringsNamespace {}

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  if (i < 0n || i > BigInt(chars.length)) throw new EvaluationError(`index out of range: ${i}`);
  return chars[Number(i)] ?? '';
}

function replace(s: string, from: string, to: string, n: bigint): string {
  if (n < 0n) return s.split(from).join(to);
  let out = s;
  let at = 0;
  for (let done = 0n; done < n; done++) {
    const i = out.indexOf(from, at);
    if (i < 0) break;
    out = out.slice(0, i) + to + out.slice(i + from.length);
    at = i + to.length + (from === '' ? 1 : 0);
  }
  return out;
}

/**
 * cel-go string extensions that the CEL library lacks: `charAt`, `replace`, `format`, `reverse`, `strings.quote`
 * (`indexOf`, `lastIndexOf`, `lowerAscii`, `upperAscii`, `split`, `substring`, `trim` and `join` are built in).
 */
export const stringsLibrary = library(
  'strings',
  'String extensions (`charAt`, `replace`, `format`, `reverse`, `strings.quote`)',
  {
    'string.charAt(int): string': charAt,
    'string.replace(string, string): string': (s: string, a: string, b: string) => replace(s, a, b, -1n),
    'string.replace(string, string, int): string': replace,
    'string.format(list): string': (s: string, args: unknown[]) => format(s, args),
    'string.reverse(): string': (s: string) => [...s].reverse().join(''),
    'StringsNamespace.quote(string): string': (_: StringsNamespace, s: string) => quote(s),
  },
  (env) => {
    env.registerType('StringsNamespace', StringsNamespace);
    env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  },
);
