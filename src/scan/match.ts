import type { Kysely, Transaction } from 'kysely';
import { lookupTable } from '../core/lookup-table.js';
import type { VulnerabilityFinding, VulnerabilityStatus } from '../core/results.js';
import type { OsInfo, Package } from '../sbom/types.js';
import { isUnresolvedVersion } from '../sbom/version-resolved.js';
import type { Database } from '../store/schema.js';
import {
  advisoriesByPackage,
  affects,
  findAdvisories,
  recordsByAlias,
  type SeverityEntry,
  type StoredAdvisory,
  type VersionScheme,
} from '../vulndb/index.js';
import { markExploitation } from './exploitation.js';
import { findingLinks } from './links.js';
import { osVendor, type PackageQuery, packageQuery, schemeOf } from './namespace.js';
import { findingRemediation } from './remediation.js';
import { riskOf } from './risk.js';
import { chooseSeverity, cvssScores, vendorOfSource } from './severity.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows already read, by namespace and package; shared across the packages of one scan (or many re-matches). */
export type AdvisoryCache = Map<string, Promise<StoredAdvisory[]>>;

/** Human names of the advisory sources Bulkhead imports. */
const SOURCE_NAMES: Readonly<Record<string, string>> = lookupTable({
  'debian-tracker': 'Debian Security Tracker',
  'debian-dsa': 'Debian Security Advisories',
  'debian-dla': 'Debian LTS Advisories',
  'alpine-secdb': 'Alpine Secdb',
  'wolfi-secdb': 'Wolfi Secdb',
  ghsa: 'GitHub Security Advisory',
  'nodejs-security-wg': 'Node.js Ecosystem Security Working Group',
  go: 'Go Vulnerability Database',
  pypi: 'Python Packaging Advisory Database',
  rustsec: 'RustSec Advisory Database',
  osv: 'OSV',
});

interface Candidate {
  row: StoredAdvisory;
  fixedVersion: string | null;
  aliases: string[];
}

function fixEvents(row: StoredAdvisory): string[] {
  return row.ranges.flatMap((r) =>
    r.type === 'REQUIREMENTS' || r.type === 'GIT'
      ? []
      : r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])),
  );
}

/** Whether the row applies to `version`, and the first fix above it. */
function applies(
  row: StoredAdvisory,
  scheme: VersionScheme | undefined,
  version: string,
): { fixedVersion: string | null } | undefined {
  if (!affects(scheme, row, version)) return undefined;
  // a fixed row with no ranges: affected below its fixed version only
  if (row.ranges.length === 0 && row.versions.length === 0 && row.fixedVersion && scheme) {
    if (scheme.compare(version, row.fixedVersion) >= 0) return undefined;
    return { fixedVersion: row.fixedVersion };
  }
  const above = scheme
    ? fixEvents(row)
        .filter((f) => scheme.compare(f, version) > 0)
        .sort((a, b) => scheme.compare(a, b))
    : [];
  // a stored fix at or below the installed version is no way out (the range re-opened after it)
  const stored =
    row.fixedVersion && scheme && scheme.compare(row.fixedVersion, version) <= 0 ? null : row.fixedVersion;
  return { fixedVersion: above[0] ?? stored };
}

/**
 * A distro or ecosystem advisory (DSA, DLA, RHSA, GHSA…) that names CVEs is one finding per CVE, the
 * advisory id kept among the aliases: ignore files, VEX and other sources speak of CVEs.
 */
function perCve(cands: Candidate[]): Candidate[] {
  return cands.flatMap((c) => {
    const cves = c.aliases.filter((a) => a.startsWith('CVE-'));
    if (c.row.vulnId.startsWith('CVE-') || cves.length === 0) return [c];
    const others = c.aliases.filter((a) => !a.startsWith('CVE-'));
    return cves.map((cve) => ({ ...c, row: { ...c.row, vulnId: cve }, aliases: [c.row.vulnId, ...others] }));
  });
}

const ID_RANK = (id: string) => (id.startsWith('CVE-') ? 0 : id.startsWith('GHSA-') ? 1 : 2);

/** Merge candidates that are the same vulnerability (a DSA listing a CVE, a GO id aliasing a GHSA). */
function mergeSameVulnerability(cands: Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  const sorted = [...cands].sort((a, b) => ID_RANK(a.row.vulnId) - ID_RANK(b.row.vulnId));
  for (const c of sorted) {
    const same = byId.get(c.row.vulnId) ?? c.aliases.map((a) => byId.get(a)).find((x) => x !== undefined);
    if (!same) {
      byId.set(c.row.vulnId, c);
      continue;
    }
    same.aliases = [...new Set([...same.aliases, c.row.vulnId, ...c.aliases])].filter(
      (a) => a !== same.row.vulnId,
    );
    // the fix the more specific source knows wins when the first has none
    if (!same.fixedVersion && c.fixedVersion) same.fixedVersion = c.fixedVersion;
    same.row = { ...same.row, severity: [...same.row.severity, ...c.row.severity] };
  }
  return [...new Set(byId.values())];
}

function statusOf(row: StoredAdvisory, fixedVersion: string | null): VulnerabilityStatus {
  if (fixedVersion) return 'fixed';
  if (row.state === 'fixed' || row.state === 'affected') return 'affected';
  if (row.state === 'will_not_fix' || row.state === 'fix_deferred' || row.state === 'end_of_life')
    return row.state;
  return 'affected';
}

/** Distro versions are shown without a zero epoch (`0:1.0.1e-58.el6_10` → `1.0.1e-58.el6_10`). */
function displayVersion(os: boolean, v: string | null): string | null {
  return os && v ? v.replace(/^0:/, '') : v;
}

const NO_ROWS: readonly StoredAdvisory[] = Object.freeze([]);

/**
 * Packages whose advisory rows are fetched together, one statement per namespace. Small enough that a part's
 * queries rarely outlive a young-generation collection: promoted, they stay until a full one, which a scan of
 * 200,000 packages may never reach (10,000 a part had left ~25 MB of them behind).
 */
const MATCH_BATCH = 1000;

/**
 * The rows of every name the packages will be matched under, asked once per namespace in batches of names
 * (most packages have no advisory: a query each had been most of a large scan's time, and their cached answers
 * most of its memory). Names a shared cache already holds are not asked again; with a shared cache (re-matches
 * of many images) every answer, empty or not, is kept in it, otherwise only the namespaces' hits are kept.
 */
async function prefetchRows(
  db: Db,
  queries: readonly (PackageQuery | undefined)[],
  cache: AdvisoryCache,
  shared: boolean,
): Promise<Map<string, Map<string, StoredAdvisory[]>>> {
  const names = new Map<string, Set<string>>();
  for (const q of queries) {
    if (!q) continue;
    let set = names.get(q.namespace);
    if (!set) {
      set = new Set();
      names.set(q.namespace, set);
    }
    for (const name of q.names) if (!cache.has(`${q.namespace}\u0000${name}`)) set.add(name);
  }
  const found = new Map<string, Map<string, StoredAdvisory[]>>();
  for (const [namespace, set] of names) {
    const hits = await advisoriesByPackage(db, namespace, set);
    found.set(namespace, hits);
    if (shared)
      for (const name of set) cache.set(`${namespace}\u0000${name}`, Promise.resolve(hits.get(name) ?? []));
  }
  return found;
}

export interface MatchResult {
  findings: VulnerabilityFinding[];
  /** Findings an advisory itself marks as not affecting this package. */
  notAffected: { id: string; package: string; version: string; reason: string }[];
}

/**
 * Match packages against the stored advisories: OS packages in their distro release's namespace (source
 * package / origin, distro scheme), language packages in their ecosystem. Withdrawn advisories never match;
 * `not_affected` statements suppress the same vulnerability from other sources.
 */
export async function matchPackages(
  db: Db,
  packages: readonly Package[],
  os: OsInfo | undefined,
  options: {
    cache?: AdvisoryCache;
    layerInstructions?: Record<string, string>;
    /** `--vuln-severity-source`: source names in order, `auto` the default order; default `['auto']`. */
    severitySources?: readonly string[];
  } = {},
): Promise<MatchResult> {
  const cache = options.cache ?? new Map();
  const severityCache = new Map<string, Promise<SeverityEntry[]>>();
  const findings: VulnerabilityFinding[] = [];
  const notAffected: MatchResult['notAffected'] = [];
  let found = new Map<string, Map<string, StoredAdvisory[]>>();
  // per namespace, not per package: finding a scheme splits and lower-cases the name (80 MB of garbage and a
  // fifth of the match time over 200,000 packages)
  const schemes = new Map<string, VersionScheme | undefined>();
  const rowsFor = (
    namespace: string,
    name: string,
  ): Promise<readonly StoredAdvisory[]> | readonly StoredAdvisory[] => {
    const key = `${namespace}\u0000${name}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const hits = found.get(namespace);
    if (hits) return hits.get(name) ?? NO_ROWS;
    const rows = findAdvisories(db, { namespace, package: name });
    cache.set(key, rows);
    return rows;
  };
  const aliasSeverities = (id: string): Promise<SeverityEntry[]> => {
    let s = severityCache.get(id);
    if (!s) {
      s = recordsByAlias(db, id).then((rs) => rs.flatMap((r) => r.severity));
      severityCache.set(id, s);
    }
    return s;
  };
  // a part of the packages at a time: the queries and prefetched names of a 200,000-package SBOM, held for all of
  // them at once, had outlived the young generation and raised the scan's peak memory by tens of megabytes
  for (let start = 0; start < packages.length; start += MATCH_BATCH) {
    const batch = packages.slice(start, start + MATCH_BATCH);
    const queries = batch.map((pkg) =>
      // a wildcard or range is no release: matching it as one would report what may not be installed
      pkg.unresolved || isUnresolvedVersion(pkg.version) ? undefined : packageQuery(pkg, os),
    );
    found = await prefetchRows(db, queries, cache, options.cache !== undefined);
    for (const [i, pkg] of batch.entries()) {
      const q = queries[i];
      if (!q) continue;
      if (!schemes.has(q.namespace)) schemes.set(q.namespace, schemeOf(q.namespace));
      const scheme = schemes.get(q.namespace);
      const cands: Candidate[] = [];
      let notAffectedIds: Map<string, string> | undefined;
      for (const name of q.names) {
        const stored = rowsFor(q.namespace, name);
        // most packages have no advisory: an answer already at hand is not awaited (a promise and a turn each)
        for (const row of stored instanceof Promise ? await stored : stored) {
          if (row.state === 'withdrawn') continue;
          if (row.state === 'not_affected') {
            notAffectedIds ??= new Map();
            for (const id of [row.vulnId, ...row.aliases]) notAffectedIds.set(id, row.reason ?? row.source);
            continue;
          }
          const hit = applies(row, scheme, q.version);
          if (hit)
            cands.push({
              row,
              fixedVersion: hit.fixedVersion,
              aliases: row.aliases.filter((a) => a !== row.vulnId),
            });
        }
      }
      if (cands.length === 0) continue;
      for (const c of mergeSameVulnerability(perCve(cands))) {
        const na = [c.row.vulnId, ...c.aliases].find((id) => notAffectedIds?.has(id));
        if (na) {
          notAffected.push({
            id: c.row.vulnId,
            package: pkg.name,
            version: pkg.version,
            reason: notAffectedIds!.get(na)!,
          });
          continue;
        }
        const vendors = [vendorOfSource(c.row.source), ...(q.os ? [osVendor(os) ?? ''] : [])].filter(Boolean);
        let entries = c.row.severity;
        let choice = chooseSeverity(entries, vendors, options.severitySources);
        if (!choice.preferred) {
          // the records of its CVE and GHSA ids (a Go advisory's GHSA) may say what this one does not
          const related = [c.row.vulnId, ...c.aliases].filter((a) => /^(CVE|GHSA)-/.test(a));
          const more = (await Promise.all(related.map(aliasSeverities))).flat();
          if (more.length > 0) {
            entries = [...entries, ...more];
            choice = chooseSeverity(entries, vendors, options.severitySources);
          }
        }
        const status = statusOf(c.row, c.fixedVersion);
        const cvss = cvssScores(entries);
        const finding: VulnerabilityFinding = {
          id: c.row.vulnId,
          aliases: c.aliases,
          package: {
            name: pkg.name,
            version: pkg.version,
            type: pkg.type,
            purl: pkg.purl,
            ...(pkg.sourceName ? { sourceName: pkg.sourceName } : {}),
          },
          fixedVersion: status === 'fixed' ? displayVersion(q.os, c.fixedVersion) : null,
          status,
          ...(status !== 'fixed' && c.row.reason ? { statusReason: c.row.reason } : {}),
          severity: choice.severity,
          severitySource: choice.source,
          ...(cvss.length > 0 ? { cvss } : {}),
          ...(c.row.title ? { title: c.row.title } : {}),
          remediation: '',
          dataSource: { id: c.row.source, name: SOURCE_NAMES[c.row.source] ?? c.row.source },
          links: findingLinks(c.row.vulnId, c.aliases, c.row.references),
          ...(pkg.layer ? { layer: pkg.layer } : {}),
          ...(pkg.layer && options.layerInstructions?.[pkg.layer]
            ? { layerInstruction: options.layerInstructions[pkg.layer] }
            : {}),
          ...(pkg.path ? { path: pkg.path } : {}),
        };
        finding.remediation = findingRemediation(finding);
        findings.push(finding);
      }
    }
  }
  await markExploitation(db, findings, cache);
  for (const f of findings) f.risk = riskOf(f);
  return { findings, notAffected };
}
