import type { Severity } from '../../core/severity.js';
import type { CenterAlertRow } from '../../store/center-alerts.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { AlertState, AlertView } from '../types.js';

export function presentAlert(row: CenterAlertRow): AlertView {
  const data = fromJsonColumn<{
    title?: string;
    tactic?: string;
    technique?: string;
    evidence?: Record<string, unknown>;
  }>(row.data, {});
  return {
    id: Number(row.id),
    resource: row.resource_key,
    rule: row.rule,
    title: data.title ?? row.rule,
    severity: row.severity as Severity,
    tactic: data.tactic ?? '',
    ...(data.technique ? { technique: data.technique } : {}),
    source: row.source,
    count: Number(row.count),
    state: row.state as AlertState,
    assignee: row.assignee,
    reason: row.reason,
    evidence: data.evidence ?? {},
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}
