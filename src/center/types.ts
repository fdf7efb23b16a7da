import type { EngineName } from '../core/assessment.js';
import type { Severity } from '../core/severity.js';
import type { Principal } from './principal.js';

/**
 * What the center's services answer: the shapes the API serves (docs/api.md). api/ declares a response schema
 * for each and checks them; these types are the one TypeScript statement of them. Add fields, never rename.
 */

export const FAMILIES = ['registries', 'hosts', 'clusters'] as const;
export type Family = (typeof FAMILIES)[number];

export const HEALTH_STATES = ['healthy', 'unhealthy', 'not_assessed'] as const;
export type Health = (typeof HEALTH_STATES)[number];

export const RESULT_STATES = ['open', 'resolved', 'excepted', 'passed'] as const;
export type ResultState = (typeof RESULT_STATES)[number];

export const ALERT_STATES = [
  'new',
  'acknowledged',
  'in_progress',
  'resolved',
  'dismissed',
  'excepted',
] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** The engines whose documents the center files: one list, the documents' own (core/assessment.ts). */
export { ENGINES } from '../core/assessment.js';
export type Engine = EngineName;

/** One page of a list: `next` is an opaque cursor for the following page, null on the last. */
export interface Page<T> {
  items: T[];
  next: string | null;
  /** Items matching the filters, over all pages. */
  total: number;
}

declare const jsonText: unique symbol;

/**
 * One list item as JSON text, written by the database in the shape of the item's view (the `*_JSON` member
 * lists beside the presenters). The API splices these into a list's `items` without parsing them.
 */
export type JsonText = string & { readonly [jsonText]: true };

export interface PageQuery {
  /** 1–500, default 50. */
  limit?: number;
  cursor?: string;
  /** A field of the item, `-` in front for descending. Each list documents the fields it sorts by. */
  sort?: string;
}

/** Open results on a resource (its own, not its children's). */
export interface ResultCounts {
  findings: Record<Severity, number>;
  controls: Record<Severity, number>;
  alerts: number;
  /** Children that are unhealthy. */
  unhealthyChildren: number;
}

export interface ResourceView {
  key: string;
  type: string;
  name: string;
  family: Family;
  health: Health;
  parent?: string;
  /** The image resource a container, pod or workload runs, when known. */
  image?: string;
  counts: ResultCounts;
  attributes: Record<string, unknown>;
  assessedAt: string | null;
  firstSeen: string;
  lastSeen: string;
  removedAt: string | null;
}

export interface ResourceQuery extends PageQuery {
  family?: Family;
  type?: string;
  health?: Health;
  parent?: string;
  /** Substring of the name or key. */
  search?: string;
  /** Include resources a complete report no longer lists (default false). */
  removed?: boolean;
}

export interface ResourceDetail extends ResourceView {
  /** Why it is unhealthy: the recommendations it fails. */
  recommendations: { id: string; title: string; severity: Severity }[];
  children: { type: string; total: number; unhealthy: number }[];
  /** Containers, pods or workloads running this image (images only). */
  runningIn?: { key: string; type: string; name: string }[];
  openFindings: number;
  openControlResults: number;
  openAlerts: number;
  /**
   * The most severe open results on the resource itself, a first page of each kind (`next` continues it in
   * `/findings`, `/control-results` or `/alerts` with `resource=<key>` and the open states).
   */
  openResults: {
    findings: Page<FindingView>;
    controlResults: Page<ControlResultView>;
    alerts: Page<AlertView>;
  };
}

export interface FindingView {
  id: number;
  resource: string;
  vulnerability: string;
  aliases: string[];
  package: { name: string; version: string; type: string; purl: string };
  severity: Severity;
  status: string;
  fixedVersion: string | null;
  title?: string;
  remediation: string;
  state: ResultState;
  exception?: number;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
}

export interface ResultQuery extends PageQuery {
  state?: string;
  /** Exactly this severity, or a comma-separated list. */
  severity?: string;
  /** A resource key: its own results. */
  resource?: string;
}

export interface FindingQuery extends ResultQuery {
  /** A vulnerability id or alias. */
  vulnerability?: string;
  /** A package name or purl. */
  package?: string;
}

export interface ControlResultView {
  id: number;
  resource: string;
  engine: Engine;
  control: string;
  title: string;
  severity: Severity;
  standards: string[];
  status: string;
  message: string;
  field?: string;
  remediation: string;
  state: ResultState;
  exception?: number;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
}

export interface ControlResultQuery extends ResultQuery {
  control?: string;
  engine?: Engine;
}

export interface AlertView {
  id: number;
  resource: string;
  rule: string;
  title: string;
  severity: Severity;
  tactic: string;
  technique?: string;
  source: string;
  count: number;
  state: AlertState;
  assignee: string | null;
  reason: string | null;
  evidence: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  updatedAt: string;
}

export interface AlertQuery extends ResultQuery {
  rule?: string;
}

export interface AlertPatch {
  state?: Exclude<AlertState, 'excepted'>;
  assignee?: string | null;
  /** Required when state is `dismissed`. */
  reason?: string;
}

export interface RecommendationView {
  id: string;
  title: string;
  severity: Severity;
  /** control | vulnerabilities */
  kind: 'control' | 'vulnerabilities';
  /** The group the dashboard may show it under. @example 'CIS Docker Benchmark' */
  group: string;
  standards: string[];
  description: string;
  remediation: string;
  unhealthy: number;
  healthy: number;
  notApplicable: number;
  active: boolean;
}

export interface RecommendationDetail extends RecommendationView {
  resources: {
    key: string;
    type: string;
    name: string;
    health: 'unhealthy' | 'healthy' | 'not_applicable';
  }[];
}

export interface RecommendationQuery extends PageQuery {
  active?: boolean;
  severity?: string;
  group?: string;
}

export interface ScoreControlView {
  name: string;
  max: number;
  current: number;
  healthy: number;
  unhealthy: number;
}

export interface ScoreView {
  /** null when nothing was assessed. */
  percentage: number | null;
  controls: ScoreControlView[];
  history: { date: string; percentage: number | null }[];
}

export const COMPLIANCE_STANDARDS = [
  'cis-docker',
  'cis-kubernetes',
  'pss-baseline',
  'pss-restricted',
  'nsa',
] as const;
export type ComplianceStandard = (typeof COMPLIANCE_STANDARDS)[number];

export interface ComplianceView {
  standard: ComplianceStandard;
  controls: {
    id: string;
    title: string;
    severity: Severity;
    pass: number;
    fail: number;
    notApplicable: number;
  }[];
  summary: { pass: number; fail: number; notApplicable: number };
}

export interface ExceptionSelector {
  registry?: string;
  repository?: string;
  image?: string;
  host?: string;
  container?: string;
  cluster?: string;
  namespace?: string;
  kind?: string;
  name?: string;
  labels?: Record<string, string>;
  /** A resource key; globs allowed. */
  resource?: string;
}

export interface ExceptionInput {
  /** Control, advisory or rule ids; globs allowed (`CVE-2024-*`). */
  targets: string[];
  selector: ExceptionSelector;
  reason: string;
  /** YYYY-MM-DD or ISO date-time. */
  expires?: string;
}

export interface ExceptionView extends ExceptionInput {
  id: number;
  requestedBy: string;
  approvedBy: string | null;
  status: 'pending' | 'active' | 'expired' | 'revoked';
  /** Results it covers now. */
  covers: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReportView {
  id: number;
  kind: string;
  engine: Engine;
  scope: string | null;
  receivedAt: string;
  pushedBy: string;
  /** Resources filed (assessed or inventoried). */
  resources: number;
  summary: Record<string, number>;
}

export interface IngestResult {
  id: number;
  kind: string;
  /** Resources the report was filed under. */
  resources: number;
  /** True when the same document had been received before (nothing changed). */
  duplicate: boolean;
}

export interface PackageUse {
  image: string;
  name: string;
  version: string;
  purl: string;
  runningIn: { key: string; type: string; name: string }[];
}

export interface Verdict {
  digest: string;
  /** pass when no open finding at or above the severity remains after the center's exceptions. */
  verdict: 'pass' | 'fail' | 'not_assessed';
  severity: Severity;
  open: Record<Severity, number>;
  excepted: number;
}

export type { Principal };
