import { appendAudit } from '../../store/audit-log.js';
import { type CenterAlertPatch, getAlert, updateAlert } from '../../store/center-alerts.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import type { Center } from '../index.js';
import { recomputeHealth } from '../inventory/health.js';
import { can } from '../principal.js';
import { presentAlert } from '../results/present.js';
import { ALERT_STATES, type AlertPatch } from '../types.js';

const TRIAGE_STATES = ALERT_STATES.filter((s) => s !== 'excepted');

/**
 * `center.alerts.update` (PATCH /api/v1/alerts/{id}): state, assignee, reason. Dismissing needs a reason;
 * resolving stamps resolved_at (leaving resolved clears it). One transaction with its audit row; the resource's
 * health follows (new, acknowledged and in_progress alerts keep it unhealthy).
 */
export function createAlertTriage(deps: CenterDeps): Pick<Center['alerts'], 'update'> {
  return {
    update: async (principal, id, patch: AlertPatch) => {
      if (!can(principal, 'triage'))
        throw new CenterError('BULKHEAD_ERR_FORBIDDEN', 'this principal may not triage alerts');
      if (patch.state !== undefined && !(TRIAGE_STATES as readonly string[]).includes(patch.state))
        throw new CenterError('BULKHEAD_ERR_VALIDATION', `state must be one of ${TRIAGE_STATES.join(', ')}`);
      const reason = patch.reason?.trim();
      if (patch.state === 'dismissed' && !reason)
        throw new CenterError('BULKHEAD_ERR_VALIDATION', 'reason: dismissing an alert needs a reason');
      const now = deps.clock().toISOString();
      return deps.store.db.transaction().execute(async (tx) => {
        const before = await getAlert(tx, id);
        if (!before) throw new CenterError('BULKHEAD_ERR_ALERT_NOT_FOUND', `no alert ${id}`);
        const change: CenterAlertPatch = { updated_at: now };
        if (patch.state !== undefined && patch.state !== before.state) {
          change.state = patch.state;
          change.resolved_at = patch.state === 'resolved' ? now : null;
          // triage overrides an exception: the alert is no longer the exception's
          change.exception_id = null;
        }
        if (patch.assignee !== undefined) change.assignee = patch.assignee;
        if (reason) change.reason = reason;
        await updateAlert(tx, id, change);
        await recomputeHealth(tx, [before.resource_key]);
        await appendAudit(tx, {
          at: now,
          actor: { kind: principal.kind, id: principal.id, name: principal.name },
          action: 'alert.update',
          target: `alert:${id}`,
          detail: {
            ...(change.state !== undefined ? { from: before.state, to: change.state } : {}),
            ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
            ...(reason ? { reason } : {}),
          },
        });
        return presentAlert((await getAlert(tx, id))!);
      });
    },
  };
}
