import type { core } from 'zod';

/** `ignore[0].reason` for the path `['ignore', 0, 'reason']`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/**
 * A schema problem in words, naming the field: `ignore[0].reason: missing (a string is required)`, `mode: must be
 * one of audit, warn, enforce`, `spec: unknown field "foo"`.
 */
export function describeIssue(issue: core.$ZodIssue): string {
  const where = fieldPath(issue.path) || 'the document';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${where}: missing (${article(issue.expected)} is required)`
        : `${where}: must be ${article(issue.expected)}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `${where}: unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${article(typeof value)} (${JSON.stringify(value)})`;
}
