import type { Transaction } from 'kysely';
import { emptySeverityCounts, isSeverity } from '../../core/severity.js';
import { openAlertCounts } from '../../store/center-alerts.js';
import { openControlResultCounts } from '../../store/center-control-results.js';
import { openFindingCounts } from '../../store/center-findings.js';
import { childHealthCounts, getResourcesWithAncestors, setHealth } from '../../store/center-resources.js';
import type { Database } from '../../store/schema.js';
import type { Health, ResultCounts } from '../types.js';

/** Counts of a resource with nothing open. */
export function emptyCounts(): ResultCounts {
  return {
    findings: emptySeverityCounts(),
    controls: emptySeverityCounts(),
    alerts: 0,
    unhealthyChildren: 0,
  };
}

/**
 * Recompute the counts and health of these resources and of every ancestor, deepest first, so that a parent
 * reads its children's new health. Unhealthy: an open result of its own or an unhealthy child. Healthy: assessed
 * (assessed_at set) or a healthy child, with nothing open. Otherwise not assessed. Removed children do not count.
 */
export async function recomputeHealth(tx: Transaction<Database>, keys: Iterable<string>): Promise<void> {
  const rows = await getResourcesWithAncestors(tx, [...keys]);
  if (rows.size === 0) return;
  const all = [...rows.keys()];
  const counts = new Map<string, ResultCounts>(all.map((k) => [k, emptyCounts()]));
  for (const r of await openFindingCounts(tx, all))
    if (isSeverity(r.severity)) counts.get(r.resource_key)!.findings[r.severity] += r.n;
  for (const r of await openControlResultCounts(tx, all))
    if (isSeverity(r.severity)) counts.get(r.resource_key)!.controls[r.severity] += r.n;
  for (const r of await openAlertCounts(tx, all)) counts.get(r.resource_key)!.alerts += r.n;

  const depth = (key: string): number => {
    let d = 0;
    for (let row = rows.get(key); row?.parent_key && d < 16; row = rows.get(row.parent_key)) d += 1;
    return d;
  };
  const levels = new Map<number, string[]>();
  for (const key of all) levels.set(depth(key), [...(levels.get(depth(key)) ?? []), key]);
  for (const level of [...levels.keys()].sort((a, b) => b - a)) {
    const keysAtLevel = levels.get(level)!;
    const children = new Map<string, { healthy: number; unhealthy: number }>();
    for (const c of await childHealthCounts(tx, keysAtLevel)) {
      const entry = children.get(c.parent_key) ?? { healthy: 0, unhealthy: 0 };
      if (c.health === 'healthy') entry.healthy += c.n;
      if (c.health === 'unhealthy') entry.unhealthy += c.n;
      children.set(c.parent_key, entry);
    }
    for (const key of keysAtLevel) {
      const row = rows.get(key)!;
      const own = counts.get(key)!;
      const kids = children.get(key) ?? { healthy: 0, unhealthy: 0 };
      own.unhealthyChildren = kids.unhealthy;
      const open =
        Object.values(own.findings).some((n) => n > 0) ||
        Object.values(own.controls).some((n) => n > 0) ||
        own.alerts > 0;
      const health: Health =
        open || kids.unhealthy > 0
          ? 'unhealthy'
          : row.assessed_at !== null || kids.healthy > 0
            ? 'healthy'
            : 'not_assessed';
      const text = JSON.stringify(own);
      if (health !== row.health || text !== row.counts) await setHealth(tx, key, health, text);
    }
  }
}
