import { RE2JS } from 're2js';

/**
 * A regular expression that came from outside Bulkhead (a policy, a rule parameter, a CEL expression), matched in
 * time linear in the input: RE2's automaton, never JavaScript's backtracking engine, which a crafted pattern and
 * value can hold for seconds (the admission webhook answers within the API server's timeout, and a webhook that
 * times out under `failurePolicy: Ignore` admits the object). RE2 syntax, as Kubernetes CEL and Gatekeeper
 * specify: `(?i)` flags, `(?P<name>…)`, `\A`, `\z`, POSIX classes; no backreferences or look-around.
 */
export interface UserRegex {
  readonly pattern: string;
  /** Somewhere in `input`. */
  test(input: string): boolean;
  /** The first match, or undefined. */
  find(input: string): string | undefined;
  /** Matches left to right, at most `limit` of them when `limit` ≥ 0. */
  findAll(input: string, limit?: number): string[];
  /** Every match replaced: by `replacement` with `$1` / `$<name>` group references, or by what a function returns. */
  replaceAll(input: string, replacement: string | ((match: string) => string)): string;
  /**
   * Matches left to right with where they are and the span of the named group `group` (when the pattern has it and
   * it took part), at most `limit` of them when `limit` ≥ 0.
   * @example userRegex('key=(?P<v>\\w+)').spans('a key=abc', 'v') // [{start: 2, end: 9, group: {start: 6, end: 9}}]
   */
  spans(input: string, group?: string, limit?: number): RegexSpan[];
}

/** Where one match is in the input: `[start, end)`, and its named group's span when asked for. */
export interface RegexSpan {
  start: number;
  end: number;
  group?: { start: number; end: number };
}

/** A pattern RE2 does not accept; `message` says why, in RE2's words. */
export class RegexSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'RegexSyntaxError';
  }
}

export interface UserRegexOptions {
  caseInsensitive?: boolean;
}

const cache = new Map<string, UserRegex>();
const CACHE_LIMIT = 1024;

/**
 * Compile `pattern` as RE2 (cached), or throw RegexSyntaxError: call it where a policy is loaded, so a pattern RE2
 * refuses is named then, not at the first request.
 * @example userRegex('^([a-z]+ ?)+$').test('a'.repeat(50_000) + '!') // false, in milliseconds
 */
export function userRegex(pattern: string, options: UserRegexOptions = {}): UserRegex {
  const key = `${options.caseInsensitive ? 'i' : '-'}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new RegexSyntaxError(pattern, reasonOf(error));
  }
  const regex: UserRegex = {
    pattern,
    test: (input) => compiled.test(input),
    find: (input) => {
      const m = compiled.matcher(input);
      return m.find() ? (m.group() ?? '') : undefined;
    },
    findAll: (input, limit = -1) => {
      const out: string[] = [];
      if (limit === 0) return out;
      const m = compiled.matcher(input);
      while (m.find()) {
        out.push(m.group() ?? '');
        if (limit > 0 && out.length >= limit) break;
      }
      return out;
    },
    spans: (input, group, limit = -1) => {
      const out: RegexSpan[] = [];
      if (limit === 0) return out;
      const named = group !== undefined && compiled.namedGroups()[group] !== undefined;
      const m = compiled.matcher(input);
      while (m.find()) {
        const span: RegexSpan = { start: m.start(), end: m.end() };
        if (named && m.start(group) >= 0) span.group = { start: m.start(group), end: m.end(group) };
        out.push(span);
        if (limit > 0 && out.length >= limit) break;
      }
      return out;
    },
    replaceAll: (input, replacement) =>
      compiled
        .matcher(input)
        .replaceAll(typeof replacement === 'string' ? replacement : (match: string) => replacement(match)),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, regex);
  return regex;
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^error parsing regexp:\s*/, '');
}
