import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, UserTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type UserRow = Selectable<UserTable>;

/** The one writer of `users`. */
export async function insertUser(db: Db, user: Insertable<UserTable>): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByName(db: Db, name: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<Pick<UserTable, 'role' | 'password_hash' | 'updated_at'>>,
): Promise<UserRow | undefined> {
  return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteUser(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Users by id ascending, after the given id (cursor pagination). */
export async function listUsers(db: Db, query: { after?: number; limit: number }): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('id', 'asc').limit(query.limit);
  if (query.after !== undefined) q = q.where('id', '>', query.after);
  return q.execute();
}

export async function countUsers(db: Db, role?: string): Promise<number> {
  let q = db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (role) q = q.where('role', '=', role);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
