import { compareText } from '../core/collate.js';
import { lookupTable } from '../core/lookup-table.js';
import type { CvssScore } from '../core/results.js';
import type { Severity } from '../core/severity.js';
import type { SeverityEntry } from '../vulndb/index.js';

/** Advisory source name → the vendor whose word it carries. */
const SOURCE_VENDOR: Readonly<Record<string, string>> = lookupTable({
  'debian-dsa': 'debian',
  'debian-dla': 'debian',
  'debian-tracker': 'debian',
  'alpine-secdb': 'alpine',
  'wolfi-secdb': 'wolfi',
  'chainguard-secdb': 'chainguard',
  'minimos-secdb': 'minimos',
  'nodejs-security-wg': 'nodejs-security-wg',
});

export function vendorOfSource(source: string): string {
  return SOURCE_VENDOR[source] ?? source;
}

export interface SeverityChoice {
  severity: Severity;
  /** Who said it. @example 'debian', 'ghsa', 'nvd' */
  source: string;
}

function cvssVersion(e: SeverityEntry): '2' | '3' | '4' {
  return e.type === 'CVSS_V2' ? '2' : e.type === 'CVSS_V4' ? '4' : '3';
}

/**
 * Choose one severity: the advisory's own vendor (for OS packages the distro: Debian urgency, Ubuntu
 * priority, Red Hat impact…), then GHSA, then NVD, then the highest-version CVSS score (NVD first), then any
 * other vendor word. Later entries of one vendor win (package-level statements follow record-level ones).
 */
export function chooseSeverity(
  entries: readonly SeverityEntry[],
  vendors: readonly string[],
): SeverityChoice {
  const order = [...new Set([...vendors, 'ghsa', 'nvd'])];
  for (const vendor of order) {
    const words = entries.filter(
      (e) => e.type === 'vendor' && e.source === vendor && e.severity !== 'UNKNOWN',
    );
    const last = words.at(-1);
    if (last) return { severity: last.severity, source: vendor };
  }
  const scored = entries
    .filter((e) => e.type !== 'vendor' && e.severity !== 'UNKNOWN')
    .sort(
      (a, b) =>
        Number(b.source === 'nvd') - Number(a.source === 'nvd') ||
        compareText(cvssVersion(b), cvssVersion(a)),
    );
  const cvss = scored[0];
  if (cvss) return { severity: cvss.severity, source: cvss.source };
  const any = entries.find((e) => e.type === 'vendor' && e.severity !== 'UNKNOWN');
  if (any) return { severity: any.severity, source: any.source };
  return { severity: 'UNKNOWN', source: entries[0]?.source ?? 'none' };
}

/** Every CVSS vector, once per (source, vector). */
export function cvssScores(entries: readonly SeverityEntry[]): CvssScore[] {
  const out: CvssScore[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type === 'vendor') continue;
    const version = /^CVSS:(\d\.\d)/.exec(e.value)?.[1] ?? (e.type === 'CVSS_V2' ? '2.0' : cvssVersion(e));
    const key = `${e.source} ${e.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      source: e.source,
      version,
      vector: e.value,
      ...(e.score !== undefined ? { score: e.score } : {}),
    });
  }
  return out;
}
