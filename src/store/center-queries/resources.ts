import type { Kysely, Selectable, SelectQueryBuilder, Transaction } from 'kysely';
import { sql } from 'kysely';
import { compareNatural } from '../../core/collate.js';
import type { Dialect } from '../open.js';
import type { Database } from '../schema.js';
import { type JsonMember, jsonObject } from './json-projection.js';
import { cursorColumns, type KeysetRequest, keysetCondition, pageLimit } from './keyset.js';
import { likeLiteral } from './results.js';

type Db = Kysely<Database> | Transaction<Database>;
export type CenterResourceRow = Selectable<Database['center_resources']>;

export interface ResourceFilters {
  family?: string;
  type?: string;
  health?: string;
  parent?: string;
  /** Substring of the name or key, case-insensitive. */
  search?: string;
  /** Include removed resources. */
  removed?: boolean;
}

/** Alert states that still ask for attention. */
export const OPEN_ALERT_STATES = ['new', 'acknowledged', 'in_progress'] as const;

function resourceWhere(db: Db, f: ResourceFilters) {
  let q = db.selectFrom('center_resources');
  if (!f.removed) q = q.where('removed_at', 'is', null);
  if (f.family !== undefined) q = q.where('family', '=', f.family);
  if (f.type !== undefined) q = q.where('type', '=', f.type);
  if (f.health !== undefined) q = q.where('health', '=', f.health);
  if (f.parent !== undefined) q = q.where('parent_key', '=', f.parent);
  if (f.search !== undefined && f.search !== '') {
    const pattern = `%${likeLiteral(f.search.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(name) like ${pattern} escape '\\'`.$castTo<boolean>(),
        sql<boolean>`lower(key) like ${pattern} escape '\\'`.$castTo<boolean>(),
      ]),
    );
  }
  return q;
}

/** One page in the request's order, after its cursor. */
function keysetPage<O>(q: SelectQueryBuilder<Database, 'center_resources', O>, req: KeysetRequest) {
  const after = req.after ? q.where(keysetCondition(req.order, req.after)) : q;
  const dir = req.order.desc ? 'desc' : 'asc';
  return after
    .orderBy(sql.ref(req.order.column), dir)
    .orderBy(sql.ref(req.order.tiebreak), dir)
    .limit(pageLimit(req.fetch));
}

export async function listCenterResources(
  db: Db,
  f: ResourceFilters,
  req: KeysetRequest,
): Promise<CenterResourceRow[]> {
  return keysetPage(resourceWhere(db, f).selectAll(), req).execute();
}

/**
 * A resource list row: the item as JSON text written by the database, and the sort column and key the next
 * cursor is made from (the other columns of the type are absent; see results.ts's jsonSelect).
 */
export type CenterResourceJsonRow = Pick<
  CenterResourceRow,
  'key' | 'name' | 'type' | 'health' | 'first_seen' | 'last_seen'
> & { json: string };

/** The same page as listCenterResources, each row's item written by the database (json-projection.ts). */
export async function listCenterResourcesJson(
  db: Db,
  dialect: Dialect,
  f: ResourceFilters,
  req: KeysetRequest,
  item: readonly JsonMember[],
): Promise<CenterResourceJsonRow[]> {
  const q = resourceWhere(db, f)
    .select(cursorColumns(req.order) as (keyof CenterResourceRow)[])
    .select(jsonObject(dialect, item).as('json'));
  return keysetPage(q, req).execute() as Promise<CenterResourceJsonRow[]>;
}

export async function countCenterResources(db: Db, f: ResourceFilters): Promise<number> {
  const row = await resourceWhere(db, f)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function getCenterResource(db: Db, key: string): Promise<CenterResourceRow | undefined> {
  return db.selectFrom('center_resources').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Children of a resource by type: how many, how many unhealthy (removed ones left out). */
export async function childCounts(
  db: Db,
  key: string,
): Promise<{ type: string; total: number; unhealthy: number }[]> {
  const rows = await db
    .selectFrom('center_resources')
    .select((eb) => [
      'type',
      eb.fn.countAll().as('total'),
      eb.fn.sum<number>(sql`case when health = 'unhealthy' then 1 else 0 end`).as('unhealthy'),
    ])
    .where('parent_key', '=', key)
    .where('removed_at', 'is', null)
    .groupBy('type')
    .orderBy('type')
    .execute();
  return rows.map((r) => ({ type: r.type, total: Number(r.total), unhealthy: Number(r.unhealthy ?? 0) }));
}

/** Containers, pods and workloads whose image is one of `imageKeys` (removed ones left out). */
export async function runningIn(
  db: Db,
  imageKeys: readonly string[],
): Promise<{ key: string; type: string; name: string; image_key: string }[]> {
  if (imageKeys.length === 0) return [];
  const rows = await db
    .selectFrom('center_resources')
    .select(['key', 'type', 'name', 'image_key'])
    .where('image_key', 'in', [...imageKeys])
    .where('removed_at', 'is', null)
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, type: r.type, name: r.name, image_key: r.image_key ?? '' }));
}

export interface OpenCounts {
  findings: number;
  controlResults: number;
  alerts: number;
}

/** Open results on the resource itself. */
export async function openCounts(db: Db, key: string): Promise<OpenCounts> {
  const [f, c, a] = await Promise.all([
    db
      .selectFrom('center_findings')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('resource_key', '=', key)
      .where('state', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('center_control_results')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('resource_key', '=', key)
      .where('state', '=', 'open')
      .executeTakeFirst(),
    db
      .selectFrom('center_alerts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('resource_key', '=', key)
      .where('state', 'in', [...OPEN_ALERT_STATES])
      .executeTakeFirst(),
  ]);
  return { findings: Number(f?.n ?? 0), controlResults: Number(c?.n ?? 0), alerts: Number(a?.n ?? 0) };
}

/** The controls with an open result on the resource: the "why unhealthy" of its detail. */
export async function openControlsOf(db: Db, key: string): Promise<{ engine: string; control: string }[]> {
  // The state is tested here rather than in SQL: with `state = 'open'` SQLite walks the (state, severity) index
  // over every open result of the center instead of this resource's few hundred rows.
  const rows = await db
    .selectFrom('center_control_results')
    .select(['engine', 'control', 'state'])
    .where('resource_key', '=', key)
    .execute();
  const seen = new Map<string, { engine: string; control: string }>();
  for (const r of rows)
    if (r.state === 'open')
      seen.set(`${r.engine}\u0000${r.control}`, { engine: r.engine, control: r.control });
  return [...seen.values()].sort((a, b) => compareNatural(a.control, b.control));
}
