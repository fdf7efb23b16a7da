import { createHash } from 'node:crypto';
import { type UserRegex, userRegex } from '../regex/re2.js';
import { redactMatch } from './redact.js';
import type { AllowRule, SecretRule } from './types.js';

/** More matches of one rule in one file are not reported: a file of a thousand keys says enough with a hundred. */
const MAX_MATCHES_PER_RULE = 100;
/** How far past its keyword a match may end when the rule does not say. */
const DEFAULT_REACH = 256;
/** How far before its keyword a match may start (never before the keyword's line): minified files are one line. */
const BEFORE = 256;

interface CompiledRule {
  rule: SecretRule;
  regex: UserRegex;
  allow: UserRegex[];
}

interface CompiledAllow {
  id: string;
  path?: UserRegex;
  secret?: UserRegex;
}

/** Rules and allow rules with their patterns compiled once (RE2). */
export interface SecretMatcher {
  rules: CompiledRule[];
  /** Allow rules on the path alone: a file they match is not read at all. */
  pathOnly: CompiledAllow[];
  /** Allow rules that look at the secret (and maybe the path). */
  bySecret: CompiledAllow[];
}

/** One match in one file; `fingerprint` (a hash of the secret) tells repeats apart without keeping the secret. */
export interface SecretMatch {
  rule: SecretRule;
  line: number;
  match: string;
  fingerprint: string;
}

export function compileSecretRules(
  rules: readonly SecretRule[],
  allowRules: readonly AllowRule[],
): SecretMatcher {
  const allows = allowRules.map((a) => ({
    id: a.id,
    ...(a.path !== undefined ? { path: userRegex(a.path) } : {}),
    ...(a.secret !== undefined ? { secret: userRegex(a.secret) } : {}),
  }));
  return {
    rules: rules.map((rule) => ({
      rule,
      regex: userRegex(rule.pattern),
      allow: (rule.allow ?? []).map((p) => userRegex(p)),
    })),
    pathOnly: allows.filter((a) => a.path && !a.secret),
    bySecret: allows.filter((a) => a.secret),
  };
}

/** Whether an allow rule on the path alone covers `path` (root-relative, no leading slash). */
export function pathAllowed(matcher: SecretMatcher, path: string): boolean {
  return matcher.pathOnly.some((a) => a.path!.test(path));
}

/**
 * Where a rule's pattern needs to run: from the start of the line of each keyword occurrence (at most BEFORE back)
 * to `reach` past it, overlapping windows merged. Empty when no keyword is in the file.
 */
function keywordWindows(text: string, lower: string, rule: SecretRule): [number, number][] {
  const haystack = rule.caseSensitive ? text : lower;
  // lower-casing changed some character's length (`İ`): positions do not carry over, the whole text is the window
  if (haystack.length !== text.length)
    return rule.keywords.some((k) => haystack.includes(k)) ? [[0, text.length]] : [];
  const reach = rule.reach ?? DEFAULT_REACH;
  const windows: [number, number][] = [];
  for (const k of rule.keywords)
    for (let i = haystack.indexOf(k); i !== -1; i = haystack.indexOf(k, i + k.length))
      windows.push([
        rule.startsAtKeyword ? i : Math.max(text.lastIndexOf('\n', i) + 1, i - BEFORE),
        Math.min(text.length, i + k.length + reach),
      ]);
  windows.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const w of windows) {
    const last = merged.at(-1);
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push(w);
  }
  return merged;
}

function lineOf(text: string, index: number, from: { index: number; line: number }): number {
  let line = from.line;
  for (let i = text.indexOf('\n', from.index); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  from.index = index;
  from.line = line;
  return line;
}

/**
 * The secrets in one file's text: none in a file an allow rule's path covers; a rule's pattern runs only around its
 * keywords (Trivy's prefilter, narrowed to windows); a match an allow rule covers is dropped. `path` is root-relative without a leading slash.
 */
export function findSecrets(matcher: SecretMatcher, path: string, text: string): SecretMatch[] {
  if (pathAllowed(matcher, path)) return [];
  const lower = text.toLowerCase();
  const out: SecretMatch[] = [];
  for (const { rule, regex, allow } of matcher.rules) {
    const cursor = { index: 0, line: 1 };
    let matches = 0;
    // positions carry over from the lower-cased text only when lower-casing kept every character's length
    const searched = rule.lowerCase && lower.length === text.length ? lower : text;
    for (const [from, to] of keywordWindows(text, lower, rule)) {
      const window = text.slice(from, to);
      for (const span of regex.spans(searched.slice(from, to), 'secret', MAX_MATCHES_PER_RULE - matches)) {
        const s = span.group ?? span;
        const secret = window.slice(s.start, s.end);
        if (allow.some((a) => a.test(secret))) continue;
        if (matcher.bySecret.some((a) => a.secret!.test(secret) && (!a.path || a.path.test(path)))) continue;
        matches++;
        out.push({
          rule,
          line: lineOf(text, from + s.start, cursor),
          match: redactMatch(window.slice(span.start, span.end), s.start - span.start, s.end - span.start),
          fingerprint: createHash('sha256').update(secret).digest('hex'),
        });
      }
      if (matches >= MAX_MATCHES_PER_RULE) break;
    }
  }
  return out;
}
