import type { ReportHead } from '../../store/center-reports.js';
import { fromJsonColumn } from '../../store/json-column.js';
import type { Engine, ReportView } from '../types.js';

export function presentReport(row: ReportHead): ReportView {
  const summary = fromJsonColumn<Record<string, number>>(row.summary, {});
  const principal = fromJsonColumn<{ name?: string }>(row.principal, {});
  return {
    id: Number(row.id),
    kind: row.kind,
    engine: row.engine as Engine,
    scope: row.scope_key,
    receivedAt: row.received_at,
    pushedBy: principal.name ?? '',
    resources: summary.resources ?? 0,
    summary,
  };
}
