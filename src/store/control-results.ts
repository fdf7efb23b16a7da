import type { Kysely, Transaction } from 'kysely';
import type { ControlResult } from '../core/results.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { upsertResource } from './resources.js';
import { finishScan, startScan } from './scans.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Insert rows in chunks small enough for SQLite's variable limit. */
const CHUNK = 50;

/**
 * Save the results of one scan (and the resources they concern) in one transaction:
 * either all of them are stored or none.
 */
export async function saveControlResults(
  db: Db,
  scanId: number | null,
  results: readonly ControlResult[],
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (tx: Transaction<Database>) => {
    const keys = new Map<string, string>();
    for (const r of results) {
      const k = JSON.stringify(r.resource);
      if (!keys.has(k)) keys.set(k, await upsertResource(tx, r.resource, now));
    }
    for (let i = 0; i < results.length; i += CHUNK) {
      const rows = results.slice(i, i + CHUNK).map((r) => ({
        scan_id: scanId,
        resource_key: keys.get(JSON.stringify(r.resource))!,
        control: r.control,
        control_version: r.controlVersion ?? 1,
        status: r.status,
        severity: r.severity,
        message: r.message,
        data: toJsonColumn(r),
        recorded_at: at,
      }));
      await tx.insertInto('control_results').values(rows).execute();
    }
  });
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

/**
 * Record one posture run (k8s scan, admission audit…) as a scan of `target` with its control results; the
 * scan's summary counts the results and the failures no exception suppresses. Returns the scan id.
 */
export async function saveControlScan(
  db: Db,
  kind: string,
  target: string,
  results: readonly ControlResult[],
): Promise<number> {
  const id = await startScan(db, kind, target);
  await saveControlResults(db, id, results);
  await finishScan(db, id, {
    results: results.length,
    fail: results.filter((r) => r.status === 'fail' && !r.suppressedBy).length,
  });
  return id;
}
