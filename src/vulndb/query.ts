import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AdvisoryState, AffectedRange } from './model.js';
import { normalizePackage } from './namespaces.js';
import { advisoriesFor, advisoriesForPackages, type StoredAdvisory } from './store.js';
import { schemeFor, type VersionScheme } from './versions/index.js';

export interface AdvisoryQuery {
  /** @example 'deb/debian/12', 'apk/alpine/3.10', 'npm', 'pypi', 'go', 'cargo', 'maven' */
  namespace: string;
  /** Debian: the source package; Alpine: the origin; otherwise the ecosystem's package name. */
  package: string;
  /** The installed version; without it every advisory about the package is returned. */
  version?: string;
  /** Also return rows that say the version is not affected (for suppression and reporting). */
  includeNotAffected?: boolean;
}

export interface AdvisoryMatch extends StoredAdvisory {
  /** The first fixed version above the installed one (or the stored fix when there is no version). */
  fixedVersion: string | null;
}

/**
 * Versions that fix: OSV `fixed` events, and the lower bounds of patched/unaffected requirements
 * (`>= 1.6.1`, `^8.1.4`) for requirement lists.
 */
function fixCandidates(ranges: AffectedRange[]): string[] {
  return ranges.flatMap((r) => {
    if (r.type === 'GIT') return [];
    if (r.type === 'REQUIREMENTS')
      return r.unaffected.flatMap((req) =>
        [...req.matchAll(/(?:>=|\^|~)\s*v?(\d[^\s,|]*)/g)].map((m) => m[1]!),
      );
    return r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []));
  });
}

/** Whether a row says `version` is affected. Rows without ranges or versions affect every version. */
export function affects(scheme: VersionScheme | undefined, row: StoredAdvisory, version: string): boolean {
  if (row.versions.includes(version)) return true;
  const evaluable = row.ranges.filter((r) => r.type !== 'GIT');
  if (evaluable.length === 0) return row.versions.length === 0 && row.ranges.length === 0;
  if (!scheme) return false;
  return evaluable.some((r) => scheme.inRange(version, r));
}

const NEVER_MATCH: readonly AdvisoryState[] = ['withdrawn'];

/**
 * The advisories that apply to one installed package: state, fixed version and severities, read through the
 * (namespace, package) index and matched with the namespace's version scheme.
 * @example await findAdvisories(db, { namespace: 'deb/debian/11', package: 'openssl', version: '1.1.1n-0+deb11u3' })
 */
export async function findAdvisories(
  db: Kysely<Database> | Transaction<Database>,
  query: AdvisoryQuery,
): Promise<AdvisoryMatch[]> {
  const pkg = normalizePackage(query.namespace, query.package);
  const rows = await advisoriesFor(db, query.namespace, pkg);
  if (query.version === undefined) return rows;
  const version = query.version;
  const scheme = schemeFor(query.namespace);
  const out: AdvisoryMatch[] = [];
  for (const row of rows) {
    if (NEVER_MATCH.includes(row.state)) continue;
    if (row.state === 'not_affected') {
      if (query.includeNotAffected) out.push(row);
      continue;
    }
    if (!affects(scheme, row, version)) continue;
    const above = scheme
      ? fixCandidates(row.ranges)
          .filter((f) => scheme.compare(f, version) > 0)
          .sort((a, b) => scheme.compare(a, b))
      : [];
    out.push({ ...row, fixedVersion: above[0] ?? row.fixedVersion });
  }
  return out;
}

/**
 * Every stored row (any state) of many packages of one namespace, keyed by the names as given (normalised as
 * `findAdvisories` does); names with no row are absent. Used by a scan to ask once for all its packages.
 */
export async function advisoriesByPackage(
  db: Kysely<Database> | Transaction<Database>,
  namespace: string,
  names: Iterable<string>,
): Promise<Map<string, StoredAdvisory[]>> {
  const given = new Map<string, string[]>();
  for (const name of names) {
    const pkg = normalizePackage(namespace, name);
    const list = given.get(pkg);
    if (list) list.push(name);
    else given.set(pkg, [name]);
  }
  const out = new Map<string, StoredAdvisory[]>();
  for (const [pkg, rows] of await advisoriesForPackages(db, namespace, [...given.keys()]))
    for (const name of given.get(pkg) ?? []) out.set(name, rows);
  return out;
}
