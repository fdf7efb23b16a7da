import type { Severity } from '../../core/severity.js';
import type { AlertRow, ControlResultRow, FindingRow } from '../../store/center-queries/results.js';
import { fromJsonColumn } from '../../store/json-column.js';
import { catalogueEntry } from '../catalogue.js';
import type { AlertState, AlertView, ControlResultView, Engine, FindingView, ResultState } from '../types.js';

type Data = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Row → API shape. `data` holds the result as the engine's document had it; the columns win where both exist. */
export function presentFinding(row: FindingRow): FindingView {
  const data = fromJsonColumn<Data>(row.data, {});
  const title = str(data.title);
  return {
    id: Number(row.id),
    resource: row.resource_key,
    vulnerability: row.vuln_id,
    aliases: fromJsonColumn<string[]>(row.aliases, []),
    package: { name: row.package_name, version: row.package_version, type: row.package_type, purl: row.purl },
    severity: row.severity as Severity,
    status: row.status,
    fixedVersion: row.fixed_version,
    ...(title !== undefined ? { title } : {}),
    remediation: str(data.remediation) ?? '',
    state: row.state as ResultState,
    ...(row.exception_id !== null ? { exception: Number(row.exception_id) } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
  };
}

/** The result's own standards; the catalogue's when the report carried none (DockerBenchmark results do not). */
function standardsOf(text: string, fallback: readonly string[] | undefined): string[] {
  const own = fromJsonColumn<string[]>(text, []);
  return own.length > 0 ? own : [...(fallback ?? [])];
}

export function presentControlResult(row: ControlResultRow): ControlResultView {
  const data = fromJsonColumn<Data>(row.data, {});
  const entry = catalogueEntry(row.engine, row.control);
  const field = str(data.field) ?? (row.subject !== '' ? row.subject : undefined);
  return {
    id: Number(row.id),
    resource: row.resource_key,
    engine: row.engine as Engine,
    control: row.control,
    title: str(data.title) ?? entry?.title ?? row.control,
    severity: row.severity as Severity,
    standards: standardsOf(row.standards, entry?.standards),
    status: row.status,
    message: str(data.message) ?? '',
    ...(field !== undefined ? { field } : {}),
    remediation: str(data.remediation) ?? entry?.remediation ?? '',
    state: row.state as ResultState,
    ...(row.exception_id !== null ? { exception: Number(row.exception_id) } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
  };
}

export function presentAlert(row: AlertRow): AlertView {
  const data = fromJsonColumn<Data>(row.data, {});
  const technique = str(data.technique);
  const evidence = data.evidence;
  return {
    id: Number(row.id),
    resource: row.resource_key,
    rule: row.rule,
    title: str(data.title) ?? row.rule,
    severity: row.severity as Severity,
    tactic: str(data.tactic) ?? '',
    ...(technique !== undefined ? { technique } : {}),
    source: row.source,
    count: Number(row.count),
    state: row.state as AlertState,
    assignee: row.assignee,
    reason: row.reason,
    evidence: evidence && typeof evidence === 'object' && !Array.isArray(evidence) ? (evidence as Data) : {},
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}
