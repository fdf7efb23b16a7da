import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ResourceRef } from '../core/resource.js';
import type { ControlResult, CountedPasses } from '../core/results.js';
import { insertChunks } from './insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { upsertResources } from './resources.js';
import type { ControlResultTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Stored per failure: what is specific to it. Title, standards and remediation are the catalogue's, per control. */
type FailureDetail = Pick<ControlResult, 'field' | 'evidence' | 'suppressedBy'>;

/** A result as the store gives it back: the failure in full, less the control's catalogue text. */
export type StoredControlResult = Omit<ControlResult, 'title' | 'standards' | 'remediation'>;

/** A plain pass (no exception involved): kept as a count per control, not a row per resource. */
const isPlainPass = (r: ControlResult) => r.status === 'pass' && !r.suppressedBy;

/**
 * Evidence worth its bytes: a list of `{message, field}` findings restates the result's message (their messages
 * joined) and field, and is left out; anything else is kept as it is.
 */
function keptEvidence(evidence: unknown): unknown {
  if (typeof evidence !== 'object' || evidence === null) return evidence;
  const keys = Object.keys(evidence);
  const findings = (evidence as { findings?: unknown }).findings;
  const restates =
    keys.length === 1 &&
    Array.isArray(findings) &&
    findings.every(
      (f) =>
        typeof f === 'object' && f !== null && Object.keys(f).every((k) => k === 'message' || k === 'field'),
    );
  return restates ? undefined : evidence;
}

/** Rows built and inserted at a time: a scan's rows are never all held at once, only this many. */
export const CONTROL_RESULT_BATCH = 2_000;

type Row = Insertable<ControlResultTable>;

/**
 * Write the results of one scan and upsert the resources they concern. The only writer of `control_results`.
 * Compact (a manifests corpus gives ~140,000 results, mostly passes): every result that is not a plain pass is a
 * row with its message, field, evidence and exception; plain passes are one row per control holding their count
 * (`resource_key` empty, `data` `{"passed": N}`). Takes a transaction because results refer to resource rows written
 * first: the caller decides what else commits with them (store/control-scan.ts). Rows are built and inserted
 * `CONTROL_RESULT_BATCH` at a time, in the results' order, the pass counts last. `counted`: passes counted rather
 * than kept in `results` (they come before the results' own, as they were produced first), and the objects they
 * concern: stored the same as the results they stand for.
 */
export async function insertControlResults(
  tx: Transaction<Database>,
  scanId: number | null,
  results: readonly ControlResult[],
  now = new Date(),
  counted?: CountedPasses,
): Promise<void> {
  const at = now.toISOString();
  const keyOf = await upsertResultResources(tx, [...(counted?.objects ?? []), ...results], now);
  const passes = new Map<string, { severity: string; version: number; n: number }>();
  for (const [control, p] of counted?.controls ?? [])
    passes.set(control, { severity: p.severity, version: p.controlVersion ?? 1, n: p.n });
  let rows: Row[] = [];
  for (const r of results) {
    if (isPlainPass(r)) {
      const p = passes.get(r.control) ?? { severity: r.severity, version: r.controlVersion ?? 1, n: 0 };
      p.n++;
      passes.set(r.control, p);
      continue;
    }
    rows.push(failureRow(r, scanId, keyOf.get(r.resource)!, at));
    if (rows.length >= CONTROL_RESULT_BATCH) {
      await insertChunks(tx, 'control_results', rows);
      rows = [];
    }
  }
  for (const [control, p] of passes)
    rows.push({
      scan_id: scanId,
      resource_key: '',
      control,
      control_version: p.version,
      status: 'pass',
      severity: p.severity,
      message: '',
      data: toJsonColumn({ passed: p.n }),
      recorded_at: at,
    });
  await insertChunks(tx, 'control_results', rows);
}

/**
 * Upsert the resources of `results`; returns the key per resource object (an object's results share one). Keyed
 * per object, then per content: 140,000 results are serialised once per distinct object, not once each, twice.
 * The distinct resources go in multi-row statements (resources.ts), in the order they first come.
 */
async function upsertResultResources(
  tx: Transaction<Database>,
  results: readonly Pick<ControlResult, 'resource'>[],
  now: Date,
): Promise<Map<object, string>> {
  const distinct = new Map<string, ResourceRef>();
  const contentOf = new Map<object, string>();
  for (const r of results) {
    if (contentOf.has(r.resource)) continue;
    const k = JSON.stringify(r.resource);
    if (!distinct.has(k)) distinct.set(k, r.resource);
    contentOf.set(r.resource, k);
  }
  const stored = await upsertResources(tx, distinct.values(), now);
  const keyOfContent = new Map<string, string>();
  let i = 0;
  for (const k of distinct.keys()) keyOfContent.set(k, stored[i++]!);
  const keyOf = new Map<object, string>();
  for (const [object, k] of contentOf) keyOf.set(object, keyOfContent.get(k)!);
  return keyOf;
}

/** The row of a result that is not a plain pass: what is specific to it (the catalogue has the rest). */
function failureRow(r: ControlResult, scanId: number | null, resourceKey: string, at: string): Row {
  const detail: FailureDetail = {
    ...(r.field !== undefined ? { field: r.field } : {}),
    ...(keptEvidence(r.evidence) !== undefined ? { evidence: r.evidence } : {}),
    ...(r.suppressedBy ? { suppressedBy: r.suppressedBy } : {}),
  };
  return {
    scan_id: scanId,
    resource_key: resourceKey,
    control: r.control,
    control_version: r.controlVersion ?? 1,
    status: r.status,
    severity: r.severity,
    message: r.message,
    data: toJsonColumn(detail),
    recorded_at: at,
  };
}

export interface ControlResultQuery {
  scanId?: number;
  resourceKey?: string;
  control?: string;
  status?: string;
}

/** The stored results one by one (plain passes are counts: see passCounts), with their resources. */
export async function listControlResults(
  db: Db,
  query: ControlResultQuery = {},
): Promise<StoredControlResult[]> {
  let q = db
    .selectFrom('control_results as c')
    .innerJoin('resources as r', 'r.key', 'c.resource_key')
    .select([
      'c.control',
      'c.control_version',
      'c.status',
      'c.severity',
      'c.message',
      'c.data',
      'r.data as resource',
    ])
    .orderBy('c.id');
  if (query.scanId !== undefined) q = q.where('c.scan_id', '=', query.scanId);
  if (query.resourceKey) q = q.where('c.resource_key', '=', query.resourceKey);
  if (query.control) q = q.where('c.control', '=', query.control);
  if (query.status) q = q.where('c.status', '=', query.status);
  const rows = await q.execute();
  return rows.map((row) => ({
    control: row.control,
    controlVersion: row.control_version,
    severity: row.severity as StoredControlResult['severity'],
    resource: fromJsonColumn<StoredControlResult['resource']>(row.resource, { type: 'host', id: '' }),
    status: row.status as StoredControlResult['status'],
    message: row.message,
    ...fromJsonColumn<FailureDetail>(row.data, {}),
  }));
}

/** Plain passes per control of one scan (or of results stored without one, `scanId` null). */
export async function passCounts(db: Db, scanId: number | null): Promise<Record<string, number>> {
  let q = db.selectFrom('control_results').select(['control', 'data']).where('resource_key', '=', '');
  q = scanId === null ? q.where('scan_id', 'is', null) : q.where('scan_id', '=', scanId);
  const out: Record<string, number> = {};
  for (const row of await q.execute())
    out[row.control] = (out[row.control] ?? 0) + fromJsonColumn<{ passed?: number }>(row.data, {}).passed!;
  return out;
}
