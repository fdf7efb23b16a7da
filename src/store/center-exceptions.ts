import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { CenterExceptionTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterExceptionRow = Selectable<CenterExceptionTable>;

export async function insertException(db: Db, row: Insertable<CenterExceptionTable>): Promise<number> {
  const r = await db.insertInto('center_exceptions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function getException(db: Db, id: number): Promise<CenterExceptionRow | undefined> {
  return db.selectFrom('center_exceptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateException(
  db: Db,
  id: number,
  patch: Updateable<CenterExceptionTable>,
): Promise<void> {
  await db.updateTable('center_exceptions').set(patch).where('id', '=', id).execute();
}

/** Exceptions in one of these states (all of them without a filter). */
export async function exceptionsIn(db: Db, states?: readonly string[]): Promise<CenterExceptionRow[]> {
  let q = db.selectFrom('center_exceptions').selectAll().orderBy('id', 'asc');
  if (states) q = q.where('status', 'in', [...states]);
  return q.execute();
}

export interface ExceptionListQuery {
  limit: number;
  after?: number;
  descending: boolean;
  status?: string;
}

export async function listExceptions(db: Db, query: ExceptionListQuery): Promise<CenterExceptionRow[]> {
  let q = db
    .selectFrom('center_exceptions')
    .selectAll()
    .orderBy('id', query.descending ? 'desc' : 'asc')
    .limit(query.limit);
  if (query.after !== undefined) q = q.where('id', query.descending ? '<' : '>', query.after);
  if (query.status) q = q.where('status', '=', query.status);
  return q.execute();
}

export async function countExceptions(db: Db, status?: string): Promise<number> {
  let q = db.selectFrom('center_exceptions').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (status) q = q.where('status', '=', status);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
