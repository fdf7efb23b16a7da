import { createHash } from 'node:crypto';
import { type UserRegex, userRegex } from '../regex/re2.js';
import { redactMatch } from './redact.js';
import type { AllowRule, SecretRule } from './types.js';

/** More matches of one rule in one file are not reported: a file of a thousand keys says enough with a hundred. */
const MAX_MATCHES_PER_RULE = 100;

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

function lineOf(text: string, index: number, from: { index: number; line: number }): number {
  let line = from.line;
  for (let i = text.indexOf('\n', from.index); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  from.index = index;
  from.line = line;
  return line;
}

/**
 * The secrets in one file's text: none in a file an allow rule's path covers; a rule's pattern runs only when one of
 * its keywords is in the file; a match an allow rule covers is dropped. `path` is root-relative without a leading slash.
 */
export function findSecrets(matcher: SecretMatcher, path: string, text: string): SecretMatch[] {
  if (pathAllowed(matcher, path)) return [];
  const lower = text.toLowerCase();
  const out: SecretMatch[] = [];
  for (const { rule, regex, allow } of matcher.rules) {
    if (!rule.keywords.some((k) => lower.includes(k))) continue;
    const cursor = { index: 0, line: 1 };
    for (const span of regex.spans(text, 'secret', MAX_MATCHES_PER_RULE)) {
      const s = span.group ?? span;
      const secret = text.slice(s.start, s.end);
      if (allow.some((a) => a.test(secret))) continue;
      if (matcher.bySecret.some((a) => a.secret!.test(secret) && (!a.path || a.path.test(path)))) continue;
      const whole = text.slice(span.start, span.end);
      out.push({
        rule,
        line: lineOf(text, s.start, cursor),
        match: redactMatch(whole, s.start - span.start, s.end - span.start),
        fingerprint: createHash('sha256').update(secret).digest('hex'),
      });
    }
  }
  return out;
}
