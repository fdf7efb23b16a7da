import type { Kysely, Transaction } from 'kysely';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  at: string;
  actor: { kind: 'user' | 'token' | 'system'; id: string; name: string };
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

/** Append one entry. Callers pass the transaction of the change it records, so both land or neither does. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_kind: entry.actor.kind,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target: entry.target,
      detail: toJsonColumn(entry.detail),
    })
    .execute();
}

export interface AuditQuery {
  /** Only entries older than this id (cursor pagination, newest first). */
  before?: number;
  limit: number;
  action?: string;
  actorId?: string;
}

/** Newest first. */
export async function listAudit(db: Db, query: AuditQuery): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: { kind: r.actor_kind as AuditEntry['actor']['kind'], id: r.actor_id, name: r.actor_name },
    action: r.action,
    target: r.target,
    detail: fromJsonColumn<Record<string, unknown>>(r.detail, {}),
  }));
}

export async function countAudit(db: Db, query: Omit<AuditQuery, 'before' | 'limit'> = {}): Promise<number> {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (query.action) q = q.where('action', '=', query.action);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
