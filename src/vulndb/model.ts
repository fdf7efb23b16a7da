import type { Severity } from '../core/severity.js';

/** What a source says about a package in a namespace. */
export const ADVISORY_STATES = [
  'fixed',
  'affected',
  'not_affected',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
  'withdrawn',
] as const;
export type AdvisoryState = (typeof ADVISORY_STATES)[number];

/** One severity statement: a vendor word or a CVSS vector (with its score when the source gives one). */
export interface SeverityEntry {
  /** Who said it. @example 'ghsa', 'debian', 'nvd' */
  source: string;
  type: 'vendor' | 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4';
  /** The vendor word or the vector as published. @example 'high**', 'CVSS:3.1/AV:N/…' */
  value: string;
  score?: number;
  severity: Severity;
}

/** One OSV range event. */
export type RangeEvent =
  | { introduced: string }
  | { fixed: string }
  | { last_affected: string }
  | { limit: string };

/**
 * Affected versions. OSV ranges keep their events; requirement lists (npm/NSP, RustSec) are kept as
 * written: a version is affected when it satisfies `affected` (default: any) and none of `unaffected`.
 */
export type AffectedRange =
  | { type: 'ECOSYSTEM' | 'SEMVER' | 'GIT'; repo?: string; events: RangeEvent[] }
  | { type: 'REQUIREMENTS'; affected?: string; unaffected: string[] };

/** One affected package of a record. */
export interface AffectedPackage {
  /** @example 'deb/debian/12', 'apk/alpine/3.10', 'npm', 'pypi', 'go', 'cargo', 'maven' */
  namespace: string;
  /** Source package (Debian), origin (Alpine) or the ecosystem's package name (normalized). */
  package: string;
  state: AdvisoryState;
  reason?: string | null;
  ranges: AffectedRange[];
  /** Explicitly listed affected versions. */
  versions: string[];
  fixedVersion: string | null;
  severity: SeverityEntry[];
}

/** One published record: a source's advisory about one vulnerability id. */
export interface AdvisoryRecord {
  /** @example 'go', 'pypi', 'rustsec', 'debian-dsa', 'alpine-secdb' */
  source: string;
  /** The feed format. @example 'osv', 'debian-list' */
  format: string;
  id: string;
  aliases: string[];
  title: string | null;
  severity: SeverityEntry[];
  references: string[];
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  affected: AffectedPackage[];
  /** Source-specific extras worth keeping (e.g. Go symbols, RustSec informational). */
  extra?: Record<string, unknown>;
}

/** A valid ISO date or null; the year-1 placeholders some feeds use count as absent. */
export function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) return null;
  return d.toISOString();
}

/** Unique, non-empty strings in first-seen order. */
export function uniq(values: Iterable<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const v of values) if (v && !out.includes(v)) out.push(v);
  return out;
}

/** A CISA Known Exploited Vulnerabilities entry: exploitation in the wild is on record. */
export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  name: string;
  /** YYYY-MM-DD: when CISA added it to the catalog. */
  dateAdded: string;
  /** YYYY-MM-DD: CISA's remediation deadline for US federal agencies. */
  dueDate: string | null;
  /** `Known` or `Unknown`. */
  knownRansomwareCampaignUse: string;
  catalogVersion: string | null;
}

/** A FIRST EPSS score: the probability (0–1) of exploitation activity in the next 30 days, and its percentile. */
export interface EpssScore {
  cve: string;
  score: number;
  percentile: number;
  /** YYYY-MM-DD of the scores' publication (the file's `score_date`). */
  date: string;
  /** @example 'v2023.03.01' */
  model: string;
}

/** What a feed of exploitation data gives: per CVE, not per package. */
export type ExploitSignal = ({ kind: 'kev' } & KevEntry) | ({ kind: 'epss' } & EpssScore);
