import type { Kysely, Transaction } from 'kysely';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database, ScanRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ScanRecord {
  id: number;
  kind: string;
  target: string;
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown>;
}

export async function startScan(db: Db, kind: string, target: string, now = new Date()): Promise<number> {
  const row = await db
    .insertInto('scans')
    .values({ kind, target, started_at: now.toISOString(), finished_at: null, summary: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishScan(
  db: Db,
  id: number,
  summary: Record<string, unknown>,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('scans')
    .set({ finished_at: now.toISOString(), summary: toJsonColumn(summary) })
    .where('id', '=', id)
    .execute();
}

const record = (row: ScanRow): ScanRecord => ({
  id: row.id,
  kind: row.kind,
  target: row.target,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  summary: fromJsonColumn(row.summary, {}),
});

export async function getScan(db: Db, id: number): Promise<ScanRecord | undefined> {
  const row = await db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? record(row) : undefined;
}

export interface ScanQuery {
  kind?: string;
  target?: string;
  limit?: number;
}

/** Stored scans, newest first (by start, then id). */
export async function listScans(db: Db, query: ScanQuery = {}): Promise<ScanRecord[]> {
  let q = db.selectFrom('scans').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc');
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.target) q = q.where('target', '=', query.target);
  if (query.limit !== undefined) q = q.limit(query.limit);
  return (await q.execute()).map(record);
}
