import type { Severity } from '../../core/severity.js';
import type { JsonMember } from '../../store/center-queries/json-projection.js';
import type {
  AlertListRow,
  ControlResultListRow,
  FindingListRow,
} from '../../store/center-queries/results.js';
import { fromJsonColumn } from '../../store/json-column.js';
import { catalogueEntry } from '../catalogue.js';
import type { AlertState, AlertView, ControlResultView, Engine, FindingView, ResultState } from '../types.js';

/** Row → API shape, from the columns a list selects (`data`, the whole result document, is not read). */
export function presentFinding(row: FindingListRow): FindingView {
  return {
    id: Number(row.id),
    resource: row.resource_key,
    vulnerability: row.vuln_id,
    aliases: fromJsonColumn<string[]>(row.aliases, []),
    package: { name: row.package_name, version: row.package_version, type: row.package_type, purl: row.purl },
    severity: row.severity as Severity,
    status: row.status,
    fixedVersion: row.fixed_version,
    ...(row.title !== null ? { title: row.title } : {}),
    remediation: row.remediation,
    state: row.state as ResultState,
    ...(row.exception_id !== null ? { exception: Number(row.exception_id) } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
  };
}

/** presentFinding as the database writes it (json-projection.ts): same members, same order, same omissions. */
export const FINDING_JSON: readonly JsonMember[] = [
  { key: 'id', value: { integer: 'id' } },
  { key: 'resource', value: { text: 'resource_key' } },
  { key: 'vulnerability', value: { text: 'vuln_id' } },
  { key: 'aliases', value: { json: 'aliases', fallback: '[]' } },
  {
    key: 'package',
    value: {
      object: [
        { key: 'name', value: { text: 'package_name' } },
        { key: 'version', value: { text: 'package_version' } },
        { key: 'type', value: { text: 'package_type' } },
        { key: 'purl', value: { text: 'purl' } },
      ],
    },
  },
  { key: 'severity', value: { text: 'severity' } },
  { key: 'status', value: { text: 'status' } },
  { key: 'fixedVersion', value: { text: 'fixed_version' } },
  { key: 'title', value: { text: 'title' }, omitWhenNull: 'title' },
  { key: 'remediation', value: { text: 'remediation' } },
  { key: 'state', value: { text: 'state' } },
  { key: 'exception', value: { integer: 'exception_id' }, omitWhenNull: 'exception_id' },
  { key: 'firstSeen', value: { text: 'first_seen' } },
  { key: 'lastSeen', value: { text: 'last_seen' } },
  { key: 'resolvedAt', value: { text: 'resolved_at' } },
];

/** The result's own standards; the catalogue's when the report carried none (DockerBenchmark results do not). */
function standardsOf(text: string, fallback: readonly string[] | undefined): string[] {
  const own = fromJsonColumn<string[]>(text, []);
  return own.length > 0 ? own : [...(fallback ?? [])];
}

export function presentControlResult(row: ControlResultListRow): ControlResultView {
  const entry = catalogueEntry(row.engine, row.control);
  const field = row.field ?? (row.subject !== '' ? row.subject : undefined);
  return {
    id: Number(row.id),
    resource: row.resource_key,
    engine: row.engine as Engine,
    control: row.control,
    title: row.title ?? entry?.title ?? row.control,
    severity: row.severity as Severity,
    standards: standardsOf(row.standards, entry?.standards),
    status: row.status,
    message: row.message,
    ...(field !== undefined ? { field } : {}),
    remediation: row.remediation ?? entry?.remediation ?? '',
    state: row.state as ResultState,
    ...(row.exception_id !== null ? { exception: Number(row.exception_id) } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
  };
}

export function presentAlert(row: AlertListRow): AlertView {
  return {
    id: Number(row.id),
    resource: row.resource_key,
    rule: row.rule,
    title: row.title ?? row.rule,
    severity: row.severity as Severity,
    tactic: row.tactic,
    ...(row.technique !== null ? { technique: row.technique } : {}),
    source: row.source,
    count: Number(row.count),
    state: row.state as AlertState,
    assignee: row.assignee,
    reason: row.reason,
    evidence: fromJsonColumn<Record<string, unknown>>(row.evidence, {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

/** presentAlert as the database writes it (json-projection.ts): same members, same order, same omissions. */
export const ALERT_JSON: readonly JsonMember[] = [
  { key: 'id', value: { integer: 'id' } },
  { key: 'resource', value: { text: 'resource_key' } },
  { key: 'rule', value: { text: 'rule' } },
  { key: 'title', value: { textOf: ['title', 'rule'] } },
  { key: 'severity', value: { text: 'severity' } },
  { key: 'tactic', value: { text: 'tactic' } },
  { key: 'technique', value: { text: 'technique' }, omitWhenNull: 'technique' },
  { key: 'source', value: { text: 'source' } },
  { key: 'count', value: { integer: 'count' } },
  { key: 'state', value: { text: 'state' } },
  { key: 'assignee', value: { text: 'assignee' } },
  { key: 'reason', value: { text: 'reason' } },
  { key: 'evidence', value: { json: 'evidence', fallback: '{}' } },
  { key: 'firstSeen', value: { text: 'first_seen' } },
  { key: 'lastSeen', value: { text: 'last_seen' } },
  { key: 'resolvedAt', value: { text: 'resolved_at' } },
  { key: 'updatedAt', value: { text: 'updated_at' } },
];
