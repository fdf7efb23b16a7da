import type { Kysely, Transaction } from 'kysely';
import { insertChunks } from './insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the webhook hands the store per decided request: kept free of engine types. */
export interface AdmissionDecisionRecord {
  uid: string;
  decidedAt: string;
  operation: string;
  kind?: string;
  namespace?: string;
  name?: string;
  username?: string;
  allowed: boolean;
  /** Strongest action taken: deny | warn | audit | allow. */
  action: string;
  skipped?: string;
  violations: { control: string; severity: string; message: string; action: string; source?: string }[];
}

/**
 * Store a batch of decisions (the webhook flushes its queue here, off the request path). Opens no transaction:
 * a batch that fits one statement (`rowsPerStatement`, thousands of rows; the recorder writes 50) is atomic by
 * itself, and a caller that needs more to commit together passes a transaction.
 */
export async function saveAdmissionDecisions(
  db: Db,
  decisions: readonly AdmissionDecisionRecord[],
): Promise<void> {
  await insertChunks(
    db,
    'admission_decisions',
    decisions.map((d) => ({
      uid: d.uid,
      decided_at: d.decidedAt,
      operation: d.operation,
      kind: d.kind ?? null,
      namespace: d.namespace ?? null,
      name: d.name ?? null,
      username: d.username ?? null,
      allowed: d.allowed ? 1 : 0,
      action: d.action,
      skipped: d.skipped ?? null,
      violations: toJsonColumn(d.violations),
    })),
  );
}

export interface AdmissionDecisionQuery {
  /** ISO time: decisions at or after it. */
  since?: string;
  action?: string;
  namespace?: string;
  limit?: number;
}

/** Stored decisions, newest first. */
export async function listAdmissionDecisions(
  db: Db,
  query: AdmissionDecisionQuery = {},
): Promise<AdmissionDecisionRecord[]> {
  let q = db.selectFrom('admission_decisions').selectAll();
  if (query.since) q = q.where('decided_at', '>=', query.since);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.namespace) q = q.where('namespace', '=', query.namespace);
  const rows = await q
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit ?? 1000)
    .execute();
  return rows.map((r) => ({
    uid: r.uid,
    decidedAt: r.decided_at,
    operation: r.operation,
    ...(r.kind !== null ? { kind: r.kind } : {}),
    ...(r.namespace !== null ? { namespace: r.namespace } : {}),
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.username !== null ? { username: r.username } : {}),
    allowed: r.allowed === 1,
    action: r.action,
    ...(r.skipped !== null ? { skipped: r.skipped } : {}),
    violations: fromJsonColumn(r.violations, []),
  }));
}

/** Decisions counted by action (deny, warn, audit, allow) since a time. */
export async function countAdmissionDecisions(db: Db, since?: string): Promise<Record<string, number>> {
  let q = db
    .selectFrom('admission_decisions')
    .select(['action', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('action');
  if (since) q = q.where('decided_at', '>=', since);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
}
