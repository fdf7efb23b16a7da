import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ApiTokenTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

/** The one writer of `api_tokens`. The caller hashes the token; the token itself never reaches the store. */
export async function insertApiToken(db: Db, token: Insertable<ApiTokenTable>): Promise<ApiTokenRow> {
  return db.insertInto('api_tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

export async function findApiTokenByHash(db: Db, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** By numeric id or by visible prefix. */
export async function findApiToken(db: Db, idOrPrefix: string): Promise<ApiTokenRow | undefined> {
  const q = db.selectFrom('api_tokens').selectAll();
  if (/^\d+$/.test(idOrPrefix)) {
    const byId = await q.where('id', '=', Number(idOrPrefix)).executeTakeFirst();
    if (byId) return byId;
  }
  return q.where('prefix', '=', idOrPrefix).executeTakeFirst();
}

export async function markApiTokenRevoked(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}

export async function touchApiToken(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Tokens by id ascending after the given id (cursor pagination); revoked ones only when asked. */
export async function listApiTokens(
  db: Db,
  query: { after?: number; limit: number; includeRevoked?: boolean },
): Promise<ApiTokenRow[]> {
  let q = db.selectFrom('api_tokens').selectAll().orderBy('id', 'asc').limit(query.limit);
  if (query.after !== undefined) q = q.where('id', '>', query.after);
  if (!query.includeRevoked) q = q.where('revoked_at', 'is', null);
  return q.execute();
}

export async function countApiTokens(db: Db, query: { includeRevoked?: boolean } = {}): Promise<number> {
  let q = db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (!query.includeRevoked) q = q.where('revoked_at', 'is', null);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
