import type { Kysely, Transaction } from 'kysely';
import { isOsPackageType } from '../core/results.js';
import type { Database } from '../store/schema.js';
import { languageNamespace, osNamespace } from './namespace.js';
import type { ScanInput } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the advisory database holds for one namespace the input needs (CONTRACTS.md `coverage`). */
export interface NamespaceCoverage {
  /** e.g. `deb/debian/12`, `npm`; `os/<family>/<version>` for an OS no advisory source covers. */
  namespace: string;
  /** Published records with at least one affected package in the namespace. */
  records: number;
  /** Newest published/modified date among those records; null when there are none. */
  newest: string | null;
  covered: boolean;
}

/**
 * The namespaces an input needs advisories for: its OS release (when it has OS packages) and the ecosystem of
 * each language package. An OS Bulkhead has no namespace for is named `os/<family>/<version>` (never covered).
 */
export function neededNamespaces(input: ScanInput): string[] {
  const needed = new Set<string>();
  if (input.os && input.packages.some((p) => isOsPackageType(p.type)))
    needed.add(osNamespace(input.os) ?? `os/${input.os.family}/${input.os.version}`);
  for (const p of input.packages) {
    if (isOsPackageType(p.type)) continue;
    const ns = languageNamespace(p.type);
    if (ns) needed.add(ns);
  }
  return [...needed].sort();
}

/** Whether the database holds any advisory at all (an empty one can assess nothing). */
export async function hasAdvisoryData(db: Db): Promise<boolean> {
  return (await db.selectFrom('advisories').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Newest published/modified date over the whole database, or null when it is empty. */
export async function newestAdvisoryDate(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('advisory_records')
    .select((eb) => [eb.fn.max('modified').as('modified'), eb.fn.max('published').as('published')])
    .executeTakeFirst();
  const dates = [row?.modified, row?.published].filter((d): d is string => typeof d === 'string');
  return dates.sort().at(-1) ?? null;
}

/** Records and newest date per needed namespace, counted in the store. */
export async function namespaceCoverage(db: Db, namespaces: readonly string[]): Promise<NamespaceCoverage[]> {
  const out: NamespaceCoverage[] = [];
  for (const namespace of namespaces) {
    const row = await db
      .selectFrom('advisories as a')
      .innerJoin('advisory_records as r', 'r.id', 'a.record_id')
      .where('a.namespace', '=', namespace)
      .select((eb) => [
        eb.fn.count<string | number>('a.record_id').distinct().as('n'),
        eb.fn.max('r.modified').as('modified'),
        eb.fn.max('r.published').as('published'),
      ])
      .executeTakeFirst();
    const records = Number(row?.n ?? 0);
    const dates = [row?.modified, row?.published].filter((d): d is string => typeof d === 'string');
    out.push({ namespace, records, newest: dates.sort().at(-1) ?? null, covered: records > 0 });
  }
  return out;
}

/** Default age (days) past which the advisory data is called stale. */
export const DEFAULT_MAX_DB_AGE_DAYS = 7;

/** Whole days between `newest` and `now`, or undefined when there is no date. */
export function ageInDays(newest: string | null, now: Date): number | undefined {
  if (!newest) return undefined;
  const t = Date.parse(newest);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((now.getTime() - t) / 86_400_000);
}

/** Warnings about what the database cannot say about this input (uncovered namespaces). */
export function coverageMessages(coverage: readonly NamespaceCoverage[]): string[] {
  const uncovered = coverage.filter((c) => !c.covered).map((c) => c.namespace);
  if (uncovered.length === 0) return [];
  const noun = uncovered.length === 1 ? 'namespace' : 'namespaces';
  return [
    `no advisory data for ${noun} ${uncovered.join(', ')}: packages there were not assessed (healthy: null)`,
  ];
}

/**
 * What the database cannot say about this input, as warnings: an empty database, or no advisories for a
 * namespace the input needs (its packages there then match nothing, which is not the same as being safe).
 */
export async function coverageWarnings(db: Db, input: ScanInput): Promise<string[]> {
  if (!(await hasAdvisoryData(db)))
    return ['the advisory database is empty: run `bulkhead db import` or `bulkhead db update` first'];
  return coverageMessages(await namespaceCoverage(db, neededNamespaces(input)));
}
