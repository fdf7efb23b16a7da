import type { Kysely, Transaction } from 'kysely';
import type { ControlResult } from '../core/results.js';
import { insertChunks } from './insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { upsertResource } from './resources.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Write the results of one scan and upsert the resources they concern. The only writer of `control_results`.
 * Takes a transaction because results refer to resource rows written first: the caller decides what else
 * commits with them (store/control-scan.ts).
 */
export async function insertControlResults(
  tx: Transaction<Database>,
  scanId: number | null,
  results: readonly ControlResult[],
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  const keys = new Map<string, string>();
  for (const r of results) {
    const k = JSON.stringify(r.resource);
    if (!keys.has(k)) keys.set(k, await upsertResource(tx, r.resource, now));
  }
  await insertChunks(
    tx,
    'control_results',
    results.map((r) => ({
      scan_id: scanId,
      resource_key: keys.get(JSON.stringify(r.resource))!,
      control: r.control,
      control_version: r.controlVersion ?? 1,
      status: r.status,
      severity: r.severity,
      message: r.message,
      data: toJsonColumn(r),
      recorded_at: at,
    })),
  );
}

export interface ControlResultQuery {
  scanId?: number;
  resourceKey?: string;
  control?: string;
  status?: string;
}

export async function listControlResults(db: Db, query: ControlResultQuery = {}): Promise<ControlResult[]> {
  let q = db.selectFrom('control_results').select(['data']).orderBy('id');
  if (query.scanId !== undefined) q = q.where('scan_id', '=', query.scanId);
  if (query.resourceKey) q = q.where('resource_key', '=', query.resourceKey);
  if (query.control) q = q.where('control', '=', query.control);
  if (query.status) q = q.where('status', '=', query.status);
  const rows = await q.execute();
  return rows.map((row) => fromJsonColumn<ControlResult>(row.data, {} as ControlResult));
}
