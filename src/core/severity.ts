import { UserInputError } from './errors.js';

/** The five severities every Bulkhead result uses, most severe first. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Counts per severity, as in every report summary. */
export type SeverityCounts = Record<Severity, number>;

const RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

/**
 * Vendor words for severity, lower-cased, mapped onto ours.
 * Sources: Debian urgency (`unimportant`, `not yet assigned`), Ubuntu priority (`negligible`, `untriaged`),
 * Red Hat impact (`important`, `moderate`), GHSA (`moderate`), NVD (`none`), Alpine/Wolfi, OSV ecosystem words.
 */
const VENDOR_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'CRITICAL',
  urgent: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  low: 'LOW',
  negligible: 'LOW',
  unimportant: 'LOW',
  minor: 'LOW',
  none: 'UNKNOWN',
  unknown: 'UNKNOWN',
  untriaged: 'UNKNOWN',
  'not yet assigned': 'UNKNOWN',
  unassigned: 'UNKNOWN',
};

/** Rank for sorting: higher is more severe. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

/** Sort comparator: most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

/** True when `s` is at least as severe as `threshold` (UNKNOWN is below LOW). */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return RANK[s] >= RANK[threshold];
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * Parse a vendor's severity word (case-insensitive, `*` NVD-derived marks and surrounding noise ignored).
 * Returns UNKNOWN for words nobody maps.
 * @example parseSeverity('Important') // 'HIGH'  (Red Hat)
 * @example parseSeverity('unimportant') // 'LOW' (Debian)
 */
export function parseSeverity(word: string | null | undefined): Severity {
  if (!word) return 'UNKNOWN';
  const key = word.trim().replace(/\*+$/, '').trim().toLowerCase();
  if (isSeverity(key.toUpperCase())) return key.toUpperCase() as Severity;
  return VENDOR_WORDS[key] ?? 'UNKNOWN';
}

/** CVSS v3/v4 qualitative rating of a base score (v2 uses the same bands without CRITICAL). */
export function severityFromCvssScore(score: number, version: '2' | '3' | '4' = '3'): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'UNKNOWN';
  if (version === '2') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

/** Parse a comma-separated list such as `--severity HIGH,CRITICAL`; throws on an unknown word. */
export function parseSeverityList(list: string): Severity[] {
  const out: Severity[] = [];
  for (const part of list.split(',')) {
    const word = part.trim().toUpperCase();
    if (!word) continue;
    if (!isSeverity(word))
      throw new UserInputError(list, `unknown severity "${part.trim()}" (use ${SEVERITIES.join(', ')})`);
    if (!out.includes(word)) out.push(word);
  }
  return out;
}

export function emptySeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

export function countBySeverity(items: Iterable<{ severity: Severity }>): SeverityCounts {
  const counts = emptySeverityCounts();
  for (const item of items) counts[item.severity] += 1;
  return counts;
}
