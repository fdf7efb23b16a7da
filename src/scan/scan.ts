import type { Kysely, Transaction } from 'kysely';
import { compareText } from '../core/collate.js';
import { exceptionState } from '../core/exceptions.js';
import type { VulnerabilityFinding, VulnerabilityStatus } from '../core/results.js';
import { isOsPackageType } from '../core/results.js';
import { compareSeverity, countBySeverity, type Severity } from '../core/severity.js';
import type { Database } from '../store/schema.js';
import { osSupport } from './eol.js';
import { type IgnoreEntry, ignoreCovers } from './ignore-file.js';
import { type AdvisoryCache, matchPackages } from './match.js';
import { fixUnits } from './remediation.js';
import { compareRisk } from './risk.js';
import type { ScanInput, ScanResult, Suppressed } from './types.js';
import { type VexStatement, type VexSubject, vexFor, vexSubject } from './vex.js';

export interface ScanOptions {
  /** Keep only these severities (all when absent). */
  severities?: readonly Severity[];
  /** Drop findings that have no fixed version. */
  ignoreUnfixed?: boolean;
  /** Drop findings with these statuses (e.g. will_not_fix, end_of_life), as Trivy's --ignore-status. */
  ignoreStatuses?: readonly VulnerabilityStatus[];
  /** Keep only findings in these package classes: `os` (deb, apk, rpm) and/or `library` (the rest); all when absent. */
  packageClasses?: readonly PackageClass[];
  ignore?: readonly IgnoreEntry[];
  vex?: readonly VexStatement[];
  now?: Date;
  cache?: AdvisoryCache;
  /** Order of the findings: by severity (default) or by risk (KEV, EPSS, severity, fix; see risk.ts). */
  sort?: FindingOrder;
  /** Whose severity each finding takes, in order (`--vuln-severity-source`); default `['auto']`. */
  severitySources?: readonly string[];
}

/** `--sort` words. */
export const FINDING_ORDERS = ['severity', 'risk'] as const;
export type FindingOrder = (typeof FINDING_ORDERS)[number];

export type PackageClass = 'os' | 'library';

/** `os` for distribution packages, `library` for language packages (Trivy's --pkg-types words). */
export const packageClassOf = (type: string): PackageClass => (isOsPackageType(type) ? 'os' : 'library');

/** Findings sorted by severity (most severe first), then id, then package. */
export function sortFindings(findings: VulnerabilityFinding[]): VulnerabilityFinding[] {
  return findings.sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      compareText(a.id, b.id) ||
      compareText(a.package.name, b.package.name) ||
      compareText(a.package.version, b.package.version) ||
      compareText(a.path ?? '', b.path ?? ''),
  );
}

/** Apply the user's filters and exceptions to matched findings. */
export function applyPolicy(
  findings: readonly VulnerabilityFinding[],
  options: ScanOptions,
  subject?: VexSubject,
): { kept: VulnerabilityFinding[]; suppressed: Suppressed[]; expired: ScanResult['expiredExceptions'] } {
  const now = options.now ?? new Date();
  const ignore = options.ignore ?? [];
  const active = ignore.filter((e) => exceptionState(e, now) === 'active');
  const expired = ignore
    .filter((e) => exceptionState(e, now) === 'expired')
    .map((e) => ({ id: e.id, reason: e.reason, expires: e.expires! }));
  const kept: VulnerabilityFinding[] = [];
  const suppressed: Suppressed[] = [];
  for (const f of findings) {
    if (options.ignoreUnfixed && f.status !== 'fixed') continue;
    if (options.packageClasses && !options.packageClasses.includes(packageClassOf(f.package.type))) continue;
    if (options.ignoreStatuses?.includes(f.status)) continue;
    if (options.severities && options.severities.length > 0 && !options.severities.includes(f.severity))
      continue;
    const vex = vexFor(options.vex ?? [], f, subject);
    if (vex) {
      suppressed.push({
        id: f.id,
        package: f.package.name,
        version: f.package.version,
        by: 'vex',
        reason: `${vex.status} (${vex.document})`,
        justification: vex.justification,
      });
      continue;
    }
    const entry = active.find((e) => ignoreCovers(e, f));
    if (entry) {
      suppressed.push({
        id: f.id,
        package: f.package.name,
        version: f.package.version,
        by: 'ignore-file',
        reason: entry.reason,
        ...(entry.expires ? { expires: entry.expires } : {}),
      });
      continue;
    }
    kept.push(f);
  }
  return {
    kept: options.sort === 'risk' ? kept.sort(compareRisk) : sortFindings(kept),
    suppressed,
    expired,
  };
}

/**
 * Scan one artifact's packages against the advisory store: match, then filters and exceptions, then fix
 * units. `healthy` is true when nothing remains.
 */
export async function scanPackages(
  db: Kysely<Database> | Transaction<Database>,
  input: ScanInput,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const { findings, notAffected } = await matchPackages(db, input.packages, input.os, {
    ...(options.cache ? { cache: options.cache } : {}),
    ...(input.layerInstructions ? { layerInstructions: input.layerInstructions } : {}),
    ...(options.severitySources ? { severitySources: options.severitySources } : {}),
  });
  const { kept, suppressed, expired } = applyPolicy(findings, options, vexSubject(input));
  for (const n of notAffected)
    suppressed.push({
      id: n.id,
      package: n.package,
      version: n.version,
      by: 'advisory',
      reason: `not_affected: ${n.reason}`,
    });
  const support = input.os ? osSupport(input.os, options.now) : undefined;
  return {
    target: input.target,
    artifact: {
      ...(input.digest ? { digest: input.digest } : {}),
      ...(input.os && support
        ? {
            os: {
              family: input.os.family,
              version: input.os.version,
              eol: support.eol,
              ...(support.endOfLife ? { endOfLife: support.endOfLife } : {}),
            },
          }
        : {}),
    },
    healthy: kept.length === 0,
    summary: countBySeverity(kept),
    vulnerabilities: kept,
    fixUnits: fixUnits(kept),
    suppressed,
    expiredExceptions: expired,
    packages: input.packages.length,
  };
}
