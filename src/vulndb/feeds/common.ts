import { parseSeverity } from '../../core/severity.js';
import { cvssSeverity } from '../cvss.js';
import type { AdvisoryState, SeverityEntry } from '../model.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, or undefined for anything else (YAML "null"/"~" included). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  return s === '' || s === 'null' || s === '~' ? undefined : s;
}

export function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return typeof value === 'string' && value.trim() ? [value.trim()] : [];
  return value.map(str).filter((s): s is string => s !== undefined);
}

/** A CVSS vector as a severity entry (score computed for v3.x). */
export function cvssEntry(source: string, vector: string, score?: number): SeverityEntry {
  const v = vector.trim();
  const type = v.startsWith('CVSS:4') ? 'CVSS_V4' : v.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2';
  const computed = cvssSeverity(v, score);
  return {
    source,
    type,
    value: v,
    ...(computed.score !== undefined ? { score: computed.score } : {}),
    severity: computed.severity,
  };
}

export function vendorEntry(source: string, word: string): SeverityEntry {
  return { source, type: 'vendor', value: word, severity: parseSeverity(word) };
}

/**
 * Debian tracker decisions → state. `<no-dsa>` stays affected (a fix may come in a point release),
 * `<postponed>` is deferred, `<ignored>` will not be fixed.
 */
export function debianState(kind: string): { state: AdvisoryState; reason?: string } | undefined {
  switch (kind.replace(/[<>]/g, '').trim().toLowerCase()) {
    case 'fixed':
      return { state: 'fixed' };
    case 'unfixed':
      return { state: 'affected' };
    case 'not-affected':
      return { state: 'not_affected' };
    case 'no-dsa':
      return { state: 'affected', reason: 'no-dsa' };
    case 'postponed':
      return { state: 'fix_deferred', reason: 'postponed' };
    case 'ignored':
      return { state: 'will_not_fix', reason: 'ignored' };
    case 'end-of-life':
      return { state: 'end_of_life', reason: 'end-of-life' };
    case 'undetermined':
      return { state: 'affected', reason: 'undetermined' };
    default:
      // removed, itp: the package is not in that release
      return undefined;
  }
}

/** Source name from an advisory id's prefix. @example sourceForId('GO-2024-1') // 'go' */
const ID_SOURCES: Readonly<Record<string, string>> = {
  GO: 'go',
  PYSEC: 'pypi',
  RUSTSEC: 'rustsec',
  GHSA: 'ghsa',
  DSA: 'debian-dsa',
  DLA: 'debian-dla',
  DTSA: 'debian-dtsa',
  CGA: 'chainguard',
  MAL: 'ossf-malicious',
  NSWG: 'nodejs-security-wg',
  UBUNTU: 'ubuntu',
  USN: 'ubuntu',
  ALSA: 'alma',
  ALBA: 'alma',
  ALEA: 'alma',
  RLSA: 'rocky',
  RLBA: 'rocky',
  RLEA: 'rocky',
};

/**
 * Ids of OSV records that a distribution's own feed reads (ubuntu-osv, alma-osv, rocky-osv): the generic
 * OSV feed leaves them alone so that one feed claims each input.
 */
export const DISTRO_OSV_ID = /^(UBUNTU-CVE|USN|ALSA|ALBA|ALEA|RLSA|RLBA|RLEA)-/;

/** The source names advisory ids map to. */
export const ID_SOURCE_NAMES: readonly string[] = Object.values(ID_SOURCES);

export function sourceForId(id: string): string {
  const prefix = id.split('-')[0] ?? id;
  return ID_SOURCES[prefix.toUpperCase()] ?? prefix.toLowerCase();
}
