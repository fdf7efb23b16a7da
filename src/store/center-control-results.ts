import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { chunked, insertChunks } from './insert-chunks.js';
import type { CenterControlResultTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterControlResultRow = Selectable<CenterControlResultTable>;
export type NewCenterControlResult = Insertable<CenterControlResultTable>;
export type CenterControlResultPatch = Updateable<CenterControlResultTable>;

/** The life columns and content of one engine's control results on these resources, to replace them. */
export async function controlResultsOf(
  db: Db,
  resourceKeys: readonly string[],
  engine: string,
): Promise<
  Pick<
    CenterControlResultRow,
    'id' | 'result_key' | 'resource_key' | 'state' | 'first_seen' | 'resolved_at' | 'exception_id' | 'data'
  >[]
> {
  const out = [];
  for (const chunk of chunked(resourceKeys, 1)) {
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('center_control_results')
        .select([
          'id',
          'result_key',
          'resource_key',
          'state',
          'first_seen',
          'resolved_at',
          'exception_id',
          'data',
        ])
        .where('resource_key', 'in', chunk)
        .where('engine', '=', engine)
        .execute()),
    );
  }
  return out;
}

export async function insertControlResults(db: Db, rows: readonly NewCenterControlResult[]): Promise<void> {
  await insertChunks(db, 'center_control_results', rows);
}

/** The same change on many rows: one statement per slice of ids. */
export async function updateControlResults(
  db: Db,
  ids: readonly number[],
  patch: CenterControlResultPatch,
): Promise<void> {
  for (const chunk of chunked(ids, 1))
    await db.updateTable('center_control_results').set(patch).where('id', 'in', chunk).execute();
}

/** Resolve every control result not yet resolved on these resources (they were removed). Returns the count. */
export async function resolveControlResultsOf(
  db: Db,
  resourceKeys: readonly string[],
  now: string,
): Promise<number> {
  let n = 0;
  for (const chunk of chunked(resourceKeys, 1)) {
    const r = await db
      .updateTable('center_control_results')
      .set({ state: 'resolved', resolved_at: now, exception_id: null })
      .where('resource_key', 'in', chunk)
      .where('state', '<>', 'resolved')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Open control results (optionally only these ids) as exception matching needs them. */
export async function openControlResults(
  db: Db,
  ids?: readonly number[],
): Promise<Pick<CenterControlResultRow, 'id' | 'resource_key' | 'control'>[]> {
  const base = db
    .selectFrom('center_control_results')
    .select(['id', 'resource_key', 'control'])
    .where('state', '=', 'open');
  if (!ids) return base.execute();
  const out = [];
  for (const chunk of chunked(ids, 1)) out.push(...(await base.where('id', 'in', chunk).execute()));
  return out;
}

/** Control results an exception covers, re-opened; returns their ids and resources. */
export async function reopenControlResults(
  db: Db,
  exceptionId: number,
): Promise<{ id: number; resource_key: string }[]> {
  return db
    .updateTable('center_control_results')
    .set({ state: 'open', exception_id: null })
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .returning(['id', 'resource_key'])
    .execute();
}

/** Open control results per resource and severity. */
export async function openControlResultCounts(
  db: Db,
  resourceKeys: readonly string[],
): Promise<{ resource_key: string; severity: string; n: number }[]> {
  const out: { resource_key: string; severity: string; n: number }[] = [];
  for (const chunk of chunked(resourceKeys, 1)) {
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('center_control_results')
      .select(['resource_key', 'severity', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('resource_key', 'in', chunk)
      .where('state', '=', 'open')
      .groupBy(['resource_key', 'severity'])
      .execute();
    for (const r of rows) out.push({ resource_key: r.resource_key, severity: r.severity, n: Number(r.n) });
  }
  return out;
}

export async function countExceptedControlResults(db: Db, exceptionId: number): Promise<number> {
  const row = await db
    .selectFrom('center_control_results')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
