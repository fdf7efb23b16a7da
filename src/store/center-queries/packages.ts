import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.js';
import type { KeysetRequest } from './keyset.js';
import { keysetCondition } from './keyset.js';
import type { CenterResourceRow } from './resources.js';
import { likeLiteral } from './results.js';

type Db = Kysely<Database> | Transaction<Database>;

/** `lookup` is `packageLookup` of the name or of the purl's name; the exact name, version and purl narrow it. */
export interface PackageFilters {
  lookup: string;
  name?: string;
  version?: string;
  purl?: string;
}

function packageWhere(db: Db, f: PackageFilters) {
  let q = db
    .selectFrom('center_packages as p')
    .innerJoin('center_resources as r', 'r.key', 'p.resource_key')
    .where('r.removed_at', 'is', null)
    .where('p.lookup', '=', f.lookup);
  if (f.name !== undefined) q = q.where('p.name', '=', f.name);
  if (f.version !== undefined) q = q.where('p.version', '=', f.version);
  if (f.purl !== undefined) q = q.where('p.purl', '=', f.purl);
  return q;
}

export interface PackageRow {
  id: number;
  resource_key: string;
  name: string;
  version: string;
  purl: string;
}

/** Images (not removed) holding a package, keyset over the row id. */
export async function findPackages(db: Db, f: PackageFilters, req: KeysetRequest): Promise<PackageRow[]> {
  let q = packageWhere(db, f).select(['p.id', 'p.resource_key', 'p.name', 'p.version', 'p.purl']);
  if (req.after) q = q.where(keysetCondition(req.order, req.after));
  const dir = req.order.desc ? 'desc' : 'asc';
  const rows = await q
    .orderBy(sql.ref(req.order.column), dir)
    .orderBy(sql.ref(req.order.tiebreak), dir)
    .limit(req.fetch)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function countPackages(db: Db, f: PackageFilters): Promise<number> {
  const row = await packageWhere(db, f)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The image resource a CI gate names by digest: its key `image:<digest>` (manifest digest, or config digest for
 * images without one), else an image whose attributes hold the digest as a value (its config digest).
 */
export async function findImageByDigest(db: Db, digest: string): Promise<CenterResourceRow | undefined> {
  const direct = await db
    .selectFrom('center_resources')
    .selectAll()
    .where('key', '=', `image:${digest}`)
    .executeTakeFirst();
  if (direct) return direct;
  const quoted = `%${likeLiteral(JSON.stringify(digest))}%`;
  return db
    .selectFrom('center_resources')
    .selectAll()
    .where('type', '=', 'image')
    .where(sql<boolean>`attributes like ${quoted} escape '\\'`.$castTo<boolean>())
    .orderBy('removed_at', 'desc')
    .orderBy('last_seen', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Findings of a resource by state and severity rank. */
export async function findingStateCounts(
  db: Db,
  key: string,
): Promise<{ state: string; severity: string; n: number }[]> {
  const rows = await db
    .selectFrom('center_findings')
    .select((eb) => ['state', 'severity', eb.fn.countAll().as('n')])
    .where('resource_key', '=', key)
    .where('state', 'in', ['open', 'excepted'])
    .groupBy(['state', 'severity'])
    .execute();
  return rows.map((r) => ({ state: r.state, severity: r.severity, n: Number(r.n) }));
}
