import { userRegex } from '../../../../regex/re2.js';
import type { Parameters } from '../../parameters/schema.js';
import { finding } from '../helpers.js';
import type { ControlFailure } from '../types.js';

/** The rules of one map: denied keys, the allowed keys (unset = any) and value patterns. */
export interface KeyRules {
  denied: Parameters['deniedLabels'];
  allowedKeys: string[] | undefined;
  patterns: Parameters['labelValuePatterns'];
}

/**
 * Denied keys (any value, or values matching a pattern), an allow-list of keys, and value patterns a set key
 * must match, over one label or annotation map. Patterns are RE2, matched anywhere in the value unless anchored.
 * @example keyRuleFailures({ team: 'x' }, { denied: [{ key: 'team' }], allowedKeys: undefined, patterns: [] }, 'label', 'metadata.labels')
 */
export function keyRuleFailures(
  map: Record<string, string>,
  rules: KeyRules,
  what: 'label' | 'annotation',
  field: string,
): ControlFailure[] {
  const out: ControlFailure[] = [];
  for (const d of rules.denied) {
    const value = map[d.key];
    if (value === undefined) continue;
    if (d.valueRegex === undefined || userRegex(d.valueRegex).test(value))
      out.push(finding(`${what} ${d.key} is denied`, `${field}.${d.key}`));
  }
  if (rules.allowedKeys) {
    const allowed = new Set(rules.allowedKeys);
    for (const key of Object.keys(map))
      if (!allowed.has(key)) out.push(finding(`${what} ${key} is not an allowed ${what}`, `${field}.${key}`));
  }
  for (const p of rules.patterns) {
    const value = map[p.key];
    if (value !== undefined && !userRegex(p.allowedRegex).test(value))
      out.push(
        finding(`${what} ${p.key} value "${value}" does not match ${p.allowedRegex}`, `${field}.${p.key}`),
      );
  }
  return out;
}
