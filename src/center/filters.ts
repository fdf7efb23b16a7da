import { isSeverity, SEVERITIES, type Severity, severityRank } from '../core/severity.js';
import { CenterError } from './errors.js';

/** Split a `a,b` filter value; empty parts are ignored. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parts.length ? parts : undefined;
}

/** `severity=high,critical` → their severity ranks; an unknown word is a validation error. */
export function parseSeverities(value: string | undefined): number[] | undefined {
  return splitList(value)?.map((word) => severityRank(parseSeverityWord(word)));
}

export function parseSeverityWord(word: string): Severity {
  const upper = word.toUpperCase();
  if (!isSeverity(upper))
    throw new CenterError('BULKHEAD_ERR_VALIDATION', `severity must be one of ${SEVERITIES.join(', ')}`);
  return upper;
}

/** `state=open,excepted`, each checked against the states the list knows. */
export function parseStates(value: string | undefined, allowed: readonly string[]): string[] | undefined {
  const states = splitList(value);
  for (const s of states ?? [])
    if (!allowed.includes(s))
      throw new CenterError('BULKHEAD_ERR_VALIDATION', `state must be one of ${allowed.join(', ')}`);
  return states;
}
