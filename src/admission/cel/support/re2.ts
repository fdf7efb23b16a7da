import { EvaluationError } from '@marcbachmann/cel-js';

/** POSIX bracket classes RE2 accepts inside `[...]`, as JavaScript class ranges. */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 512;

/**
 * An RE2 pattern (the syntax CEL and Kubernetes use) as a JavaScript RegExp: leading `(?ims)` flags,
 * `(?P<name>…)` groups, `\A`/`\z` anchors and POSIX classes are translated. Compiled patterns are cached.
 * @example re2('(?i)^abc$').test('ABC') // true
 */
export function re2(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]!.includes('U'))
      throw new EvaluationError(`unsupported regular expression flag U: ${pattern}`);
    flags = [...new Set(lead[1]!)].join('');
    source = source.slice(lead[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls || neg) throw new EvaluationError(`unsupported character class ${whole} in ${pattern}`);
      return cls;
    });
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch {
    throw new EvaluationError(`invalid regular expression: ${pattern}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** The same pattern with the global flag, for find-all scans (not cached: callers reset lastIndex). */
export function re2Global(pattern: string): RegExp {
  const base = re2(pattern);
  return new RegExp(base.source, `${base.flags}g`);
}
