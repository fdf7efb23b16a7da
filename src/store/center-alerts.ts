import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { chunked, insertChunks } from './insert-chunks.js';
import type { CenterAlertTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterAlertRow = Selectable<CenterAlertTable>;
export type NewCenterAlert = Insertable<CenterAlertTable>;
export type CenterAlertPatch = Updateable<CenterAlertTable>;

/** Triage states that still ask for attention: they make a resource unhealthy. */
export const OPEN_ALERT_STATES = ['new', 'acknowledged', 'in_progress'] as const;

export async function alertsByKey(
  db: Db,
  keys: readonly string[],
): Promise<Pick<CenterAlertRow, 'id' | 'alert_key' | 'count' | 'last_seen'>[]> {
  const out = [];
  for (const chunk of chunked([...new Set(keys)], 1)) {
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('center_alerts')
        .select(['id', 'alert_key', 'count', 'last_seen'])
        .where('alert_key', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

export async function insertAlerts(db: Db, rows: readonly NewCenterAlert[]): Promise<void> {
  await insertChunks(db, 'center_alerts', rows);
}

export async function getAlert(db: Db, id: number): Promise<CenterAlertRow | undefined> {
  return db.selectFrom('center_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateAlert(db: Db, id: number, patch: CenterAlertPatch): Promise<void> {
  await db.updateTable('center_alerts').set(patch).where('id', '=', id).execute();
}

export async function updateAlerts(db: Db, ids: readonly number[], patch: CenterAlertPatch): Promise<void> {
  for (const chunk of chunked(ids, 1))
    await db.updateTable('center_alerts').set(patch).where('id', 'in', chunk).execute();
}

/** Alerts still asking for attention (optionally only these ids), as exception matching needs them. */
export async function openAlerts(
  db: Db,
  ids?: readonly number[],
): Promise<Pick<CenterAlertRow, 'id' | 'resource_key' | 'rule'>[]> {
  const base = db
    .selectFrom('center_alerts')
    .select(['id', 'resource_key', 'rule'])
    .where('state', 'in', [...OPEN_ALERT_STATES]);
  if (!ids) return base.execute();
  const out = [];
  for (const chunk of chunked(ids, 1)) out.push(...(await base.where('id', 'in', chunk).execute()));
  return out;
}

/** Alerts an exception covers, back to `new`; returns their ids and resources. */
export async function reopenAlerts(
  db: Db,
  exceptionId: number,
  now: string,
): Promise<{ id: number; resource_key: string }[]> {
  return db
    .updateTable('center_alerts')
    .set({ state: 'new', exception_id: null, updated_at: now })
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .returning(['id', 'resource_key'])
    .execute();
}

/** Alerts asking for attention, per resource. */
export async function openAlertCounts(
  db: Db,
  resourceKeys: readonly string[],
): Promise<{ resource_key: string; n: number }[]> {
  const out: { resource_key: string; n: number }[] = [];
  for (const chunk of chunked(resourceKeys, 1)) {
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('center_alerts')
      .select(['resource_key', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('resource_key', 'in', chunk)
      .where('state', 'in', [...OPEN_ALERT_STATES])
      .groupBy('resource_key')
      .execute();
    for (const r of rows) out.push({ resource_key: r.resource_key, n: Number(r.n) });
  }
  return out;
}

export async function countExceptedAlerts(db: Db, exceptionId: number): Promise<number> {
  const row = await db
    .selectFrom('center_alerts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
