import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { chunked, insertChunks } from './insert-chunks.js';
import type { CenterFindingTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterFindingRow = Selectable<CenterFindingTable>;
export type NewCenterFinding = Insertable<CenterFindingTable>;
export type CenterFindingPatch = Updateable<CenterFindingTable>;

/** The life columns and content digest of every finding on these resources, to replace them. */
export async function findingsOf(
  db: Db,
  resourceKeys: readonly string[],
): Promise<
  Pick<
    CenterFindingRow,
    'id' | 'result_key' | 'resource_key' | 'state' | 'first_seen' | 'resolved_at' | 'exception_id' | 'data'
  >[]
> {
  const out = [];
  for (const chunk of chunked(resourceKeys, 1)) {
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('center_findings')
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
        .execute()),
    );
  }
  return out;
}

export async function insertFindings(db: Db, rows: readonly NewCenterFinding[]): Promise<void> {
  await insertChunks(db, 'center_findings', rows);
}

/** The same change on many rows: one statement per slice of ids. */
export async function updateFindings(
  db: Db,
  ids: readonly number[],
  patch: CenterFindingPatch,
): Promise<void> {
  for (const chunk of chunked(ids, 1))
    await db.updateTable('center_findings').set(patch).where('id', 'in', chunk).execute();
}

/** Resolve every finding not yet resolved on these resources (they were removed). Returns the count. */
export async function resolveFindingsOf(
  db: Db,
  resourceKeys: readonly string[],
  now: string,
): Promise<number> {
  let n = 0;
  for (const chunk of chunked(resourceKeys, 1)) {
    const r = await db
      .updateTable('center_findings')
      .set({ state: 'resolved', resolved_at: now, exception_id: null })
      .where('resource_key', 'in', chunk)
      .where('state', '<>', 'resolved')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Open findings (optionally only these ids) as exception matching needs them. */
export async function openFindings(
  db: Db,
  ids?: readonly number[],
): Promise<Pick<CenterFindingRow, 'id' | 'resource_key' | 'vuln_id' | 'aliases'>[]> {
  const base = db
    .selectFrom('center_findings')
    .select(['id', 'resource_key', 'vuln_id', 'aliases'])
    .where('state', '=', 'open');
  if (!ids) return base.execute();
  const out = [];
  for (const chunk of chunked(ids, 1)) out.push(...(await base.where('id', 'in', chunk).execute()));
  return out;
}

/** Findings an exception covers, re-opened; returns their ids and resources. */
export async function reopenFindings(
  db: Db,
  exceptionId: number,
): Promise<{ id: number; resource_key: string }[]> {
  return db
    .updateTable('center_findings')
    .set({ state: 'open', exception_id: null })
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .returning(['id', 'resource_key'])
    .execute();
}

/** Open findings per resource and severity. */
export async function openFindingCounts(
  db: Db,
  resourceKeys: readonly string[],
): Promise<{ resource_key: string; severity: string; n: number }[]> {
  const out: { resource_key: string; severity: string; n: number }[] = [];
  for (const chunk of chunked(resourceKeys, 1)) {
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('center_findings')
      .select(['resource_key', 'severity', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('resource_key', 'in', chunk)
      .where('state', '=', 'open')
      .groupBy(['resource_key', 'severity'])
      .execute();
    for (const r of rows) out.push({ resource_key: r.resource_key, severity: r.severity, n: Number(r.n) });
  }
  return out;
}

export async function countExceptedFindings(db: Db, exceptionId: number): Promise<number> {
  const row = await db
    .selectFrom('center_findings')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('exception_id', '=', exceptionId)
    .where('state', '=', 'excepted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
