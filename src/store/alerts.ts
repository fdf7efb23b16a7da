import type { Kysely, Transaction } from 'kysely';
import { resourceKey } from '../core/resource.js';
import type { Alert } from '../core/results.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { upsertResource } from './resources.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The identity of a stored alert: rule × resource × key fields × first-seen (the de-duplication window). */
export function alertKey(alert: Alert, key = ''): string {
  return `${alert.rule}|${resourceKey(alert.resource)}|${key}|${alert.firstSeen}`;
}

/**
 * Store alerts, or raise the count and last-seen time of ones already stored under the same key (a live
 * engine saves an alert when raised and again when its count grows). The resources are upserted too. Opens no
 * transaction: every write is an upsert by key, so a batch cut short is completed by saving it again; a caller
 * that wants the batch atomic passes a transaction.
 */
export async function saveAlerts(db: Db, alerts: readonly { alert: Alert; key?: string }[]): Promise<void> {
  for (const { alert, key } of alerts) {
    const resource = await upsertResource(
      db,
      alert.resource.parent && alert.resource.type === 'process' ? alert.resource.parent : alert.resource,
    );
    await db
      .insertInto('alerts')
      .values({
        alert_key: alertKey(alert, key),
        rule: alert.rule,
        severity: alert.severity,
        source: alert.source,
        resource_key: resource,
        title: alert.title,
        first_seen: alert.firstSeen,
        last_seen: alert.lastSeen,
        count: alert.count,
        data: toJsonColumn(alert),
      })
      .onConflict((oc) =>
        oc
          .column('alert_key')
          .doUpdateSet({ count: alert.count, last_seen: alert.lastSeen, data: toJsonColumn(alert) }),
      )
      .execute();
  }
}

export interface AlertQuery {
  rule?: string;
  source?: string;
  /** ISO time: alerts last seen at or after it. */
  since?: string;
  limit?: number;
}

/** Stored alerts, most recent first. */
export async function listAlerts(db: Db, query: AlertQuery = {}): Promise<Alert[]> {
  let q = db.selectFrom('alerts').select(['data']).orderBy('last_seen', 'desc').orderBy('id', 'desc');
  if (query.rule) q = q.where('rule', '=', query.rule);
  if (query.source) q = q.where('source', '=', query.source);
  if (query.since) q = q.where('last_seen', '>=', query.since);
  if (query.limit) q = q.limit(query.limit);
  const rows = await q.execute();
  return rows.map((r) => fromJsonColumn<Alert>(r.data, {} as Alert));
}
