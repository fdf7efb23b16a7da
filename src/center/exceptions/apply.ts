import type { Transaction } from 'kysely';
import { openAlerts, reopenAlerts, updateAlerts } from '../../store/center-alerts.js';
import {
  openControlResults,
  reopenControlResults,
  updateControlResults,
} from '../../store/center-control-results.js';
import { exceptionsIn } from '../../store/center-exceptions.js';
import { openFindings, reopenFindings, updateFindings } from '../../store/center-findings.js';
import { getResourcesWithAncestors } from '../../store/center-resources.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { Database } from '../../store/schema.js';
import { type CompiledException, chainOf, compileRow, firstCovering, isInForce } from './match.js';

type Tx = Transaction<Database>;

/** Exceptions that turn results into `excepted` at `now`, lowest id first (the first one covering a result wins). */
export async function exceptionsInForce(tx: Tx, now: Date): Promise<CompiledException[]> {
  const rows = await exceptionsIn(tx, ['active']);
  return rows.filter((r) => isInForce(r, now)).map(compileRow);
}

export interface ResultIds {
  findings: number[];
  controls: number[];
  alerts: number[];
}

/**
 * Turn open results covered by one of `exceptions` into `excepted`; only the given ids when `only` is set.
 * Returns the resources whose open results changed (their health must be recomputed).
 */
export async function applyExceptions(
  tx: Tx,
  exceptions: readonly CompiledException[],
  now: string,
  only?: ResultIds,
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (exceptions.length === 0) return changed;
  const anyTarget = (ids: readonly string[]) => exceptions.some((e) => e.targets(ids));
  const findings = (only ? await openFindings(tx, only.findings) : await openFindings(tx))
    .map((f) => ({
      id: f.id,
      resource: f.resource_key,
      ids: [f.vuln_id, ...fromJsonColumn<string[]>(f.aliases, [])],
    }))
    .filter((f) => anyTarget(f.ids));
  const controls = (only ? await openControlResults(tx, only.controls) : await openControlResults(tx))
    .map((c) => ({ id: c.id, resource: c.resource_key, ids: [c.control] }))
    .filter((c) => anyTarget(c.ids));
  const alerts = (only ? await openAlerts(tx, only.alerts) : await openAlerts(tx))
    .map((a) => ({ id: a.id, resource: a.resource_key, ids: [a.rule] }))
    .filter((a) => anyTarget(a.ids));
  const candidates = [...findings, ...controls, ...alerts];
  if (candidates.length === 0) return changed;
  const rows = await getResourcesWithAncestors(tx, [...new Set(candidates.map((c) => c.resource))]);
  const chains = new Map<string, ReturnType<typeof chainOf>>();
  const cover = (list: typeof candidates) => {
    const byException = new Map<number, number[]>();
    for (const c of list) {
      let chain = chains.get(c.resource);
      if (!chain) {
        chain = chainOf(c.resource, rows);
        chains.set(c.resource, chain);
      }
      const id = firstCovering(exceptions, chain, c.ids);
      if (id === null) continue;
      changed.add(c.resource);
      byException.set(id, [...(byException.get(id) ?? []), c.id]);
    }
    return byException;
  };
  for (const [id, ids] of cover(findings))
    await updateFindings(tx, ids, { state: 'excepted', exception_id: id });
  for (const [id, ids] of cover(controls))
    await updateControlResults(tx, ids, { state: 'excepted', exception_id: id });
  for (const [id, ids] of cover(alerts))
    await updateAlerts(tx, ids, { state: 'excepted', exception_id: id, updated_at: now });
  return changed;
}

/**
 * Re-open what an exception covered (it was revoked, expired or changed); what another exception in force
 * covers stays excepted under that one. Returns how many re-opened and the resources touched.
 */
export async function reopenCovered(
  tx: Tx,
  exceptionId: number,
  others: readonly CompiledException[],
  now: string,
): Promise<{ reopened: number; resources: Set<string> }> {
  const findings = await reopenFindings(tx, exceptionId);
  const controls = await reopenControlResults(tx, exceptionId);
  const alerts = await reopenAlerts(tx, exceptionId, now);
  const resources = new Set([...findings, ...controls, ...alerts].map((r) => r.resource_key));
  const ids = {
    findings: findings.map((r) => r.id),
    controls: controls.map((r) => r.id),
    alerts: alerts.map((r) => r.id),
  };
  const others_ = others.filter((e) => e.id !== exceptionId);
  const recovered = await applyExceptions(tx, others_, now, ids);
  for (const r of recovered) resources.add(r);
  return { reopened: findings.length + controls.length + alerts.length, resources };
}
