import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database as the code sees it. JSON columns hold text (the same in SQLite and PostgreSQL) and are
 * converted in json-column.ts only; times are ISO-8601 text so that both dialects sort and compare them alike.
 */
export interface Database {
  advisory_sources: AdvisorySourceTable;
  advisory_records: AdvisoryRecordTable;
  advisories: AdvisoryTable;
  advisory_aliases: AdvisoryAliasTable;
  advisory_feed_state: AdvisoryFeedStateTable;
  kev_entries: KevEntryTable;
  epss_scores: EpssScoreTable;
  images: ImageTable;
  image_packages: ImagePackageTable;
  scans: ScanTable;
  findings: FindingTable;
  control_results: ControlResultTable;
  resources: ResourceTable;
  alerts: AlertTable;
  admission_decisions: AdmissionDecisionTable;
  audit_log: AuditLogTable;
  center_resources: CenterResourceTable;
  center_reports: CenterReportTable;
  center_findings: CenterFindingTable;
  center_control_results: CenterControlResultTable;
  center_alerts: CenterAlertTable;
  center_packages: CenterPackageTable;
  center_exceptions: CenterExceptionTable;
  center_score_snapshots: CenterScoreSnapshotTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
}

type Json = string;
type IsoTime = string;

export interface AdvisorySourceTable {
  id: Generated<number>;
  /** Who publishes the records. @example 'go', 'debian-dsa', 'alpine-secdb' */
  name: string;
  /** Feed format that produced the records. @example 'osv' */
  format: string;
  /** Published records (source × vulnerability id) held. */
  records: number;
  imported_at: IsoTime;
  /** Newest published/modified date among the records. */
  newest: IsoTime | null;
}

/** One published record: a source's advisory about one vulnerability id. */
export interface AdvisoryRecordTable {
  id: Generated<number>;
  source_id: number;
  vuln_id: string;
  aliases: Json;
  title: string | null;
  /** Record-level severities: `[{source, type, value, severity}]`. */
  severity: Json;
  refs: Json;
  published: IsoTime | null;
  modified: IsoTime | null;
  withdrawn: IsoTime | null;
  data: Json;
}

/** One affected package of a record in one namespace. */
export interface AdvisoryTable {
  id: Generated<number>;
  record_id: number;
  /** Ecosystem + distro + release. @example 'deb/debian/12' */
  namespace: string;
  /** Source package (Debian), origin (Alpine) or ecosystem package name. */
  package: string;
  /** fixed | affected | not_affected | will_not_fix | fix_deferred | end_of_life | withdrawn */
  state: string;
  reason: string | null;
  /** OSV-style affected ranges. */
  ranges: Json;
  /** Explicitly listed affected versions. */
  versions: Json;
  fixed_version: string | null;
  /** Package-level severities (e.g. Debian urgency per release). */
  severity: Json;
  /** The file or URL the row came from; a re-import of the same origin replaces its rows. */
  origin: string;
}

export interface AdvisoryAliasTable {
  record_id: number;
  alias: string;
}

/** Conditional-request state of each configured feed URL. */
export interface AdvisoryFeedStateTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  checked_at: IsoTime;
}

/** One entry of CISA's Known Exploited Vulnerabilities catalog. */
export interface KevEntryTable {
  cve_id: string;
  vendor_project: string;
  product: string;
  /** The catalog's `vulnerabilityName`. */
  name: string;
  /** YYYY-MM-DD */
  date_added: string;
  /** YYYY-MM-DD: when US federal agencies must have remediated it. */
  due_date: string | null;
  /** `Known` or `Unknown`, as the catalog says. */
  ransomware: string;
  catalog_version: string | null;
  origin: string;
}

/** One FIRST EPSS score: the probability of exploitation activity in the next 30 days. */
export interface EpssScoreTable {
  cve_id: string;
  score: number;
  percentile: number;
  /** YYYY-MM-DD of the scores' publication. */
  score_date: string;
  model_version: string;
  origin: string;
}

export interface ImageTable {
  digest: string;
  reference: string;
  os_family: string | null;
  os_version: string | null;
  first_seen: IsoTime;
  last_seen: IsoTime;
}

export interface ImagePackageTable {
  id: Generated<number>;
  image_digest: string;
  name: string;
  version: string;
  type: string;
  purl: string;
  source_name: string | null;
  source_version: string | null;
  layer: string | null;
  path: string | null;
}

export interface ScanTable {
  id: Generated<number>;
  /** Engine that ran. @example 'image', 'docker-benchmark', 'kubernetes' */
  kind: string;
  target: string;
  started_at: IsoTime;
  finished_at: IsoTime | null;
  summary: Json;
}

export interface FindingTable {
  id: Generated<number>;
  scan_id: number;
  image_digest: string | null;
  vuln_id: string;
  purl: string;
  package_name: string;
  package_version: string;
  severity: string;
  status: string;
  fixed_version: string | null;
  data: Json;
}

export interface ControlResultTable {
  id: Generated<number>;
  scan_id: number | null;
  resource_key: string;
  control: string;
  control_version: number;
  status: string;
  severity: string;
  message: string;
  data: Json;
  recorded_at: IsoTime;
}

export interface ResourceTable {
  key: string;
  type: string;
  name: string | null;
  parent_key: string | null;
  data: Json;
  first_seen: IsoTime;
  last_seen: ColumnType<IsoTime, IsoTime, IsoTime>;
}

/** A de-duplicated run-time alert; `alert_key` = rule × resource × key fields × window start. */
export interface AlertTable {
  id: Generated<number>;
  alert_key: string;
  rule: string;
  severity: string;
  source: string;
  resource_key: string;
  title: string;
  first_seen: IsoTime;
  last_seen: IsoTime;
  count: number;
  data: Json;
}

/** One decided admission request (dry runs are not recorded). */
export interface AdmissionDecisionTable {
  id: Generated<number>;
  uid: string;
  decided_at: IsoTime;
  operation: string;
  /** `group/version/Kind` of the request. */
  kind: string | null;
  namespace: string | null;
  name: string | null;
  username: string | null;
  /** 1 allowed, 0 denied. */
  allowed: number;
  /** Strongest action taken: deny | warn | audit | allow. */
  action: string;
  /** Why nothing was evaluated (exemption), when so. */
  skipped: string | null;
  /** `[{control, severity, message, action, source?}]`. */
  violations: Json;
}

/** One change made through the center, by whom. Append-only. */
export interface AuditLogTable {
  id: Generated<number>;
  at: IsoTime;
  /** user | token | system */
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  /** Dotted verb. @example 'exception.create', 'token.revoke', 'alert.update' */
  action: string;
  /** What was changed. @example 'exception:12', 'alert:301' */
  target: string;
  /** JSON object: the change (never a secret). */
  detail: Json;
}

/**
 * A resource of the center's inventory (docs/center.md gives the key of each type).
 * @example key 'image:sha256:9c7a…', 'container:node-1/4f1c…', 'workload:prod/default/Deployment/web'
 */
export interface CenterResourceTable {
  key: string;
  /** registries | hosts | clusters */
  family: string;
  /** registry | repository | image | host | daemon | container | cluster | namespace | workload | pod | object */
  type: string;
  name: string;
  parent_key: string | null;
  /** The image resource a container, pod or workload runs, once known. */
  image_key: string | null;
  /** The image as the runtime names it (image id, digest or reference), to link it when the image arrives. */
  image_ref: string | null;
  /** healthy | unhealthy | not_assessed, rolled up from the resource's own open results and its children. */
  health: string;
  /** JSON: open results by kind and severity (and unhealthy children), for lists without a join. */
  counts: Json;
  /** JSON: facts of the type (tags, repo digests, daemon version, labels, state…). */
  attributes: Json;
  /** Last time an engine assessed it; null = not assessed. */
  assessed_at: IsoTime | null;
  first_seen: IsoTime;
  last_seen: IsoTime;
  /** Set when a complete report of its scope no longer lists it. */
  removed_at: IsoTime | null;
}

/** A document received by the center, kept whole; `digest` (SHA-256 of the body) makes a re-push a no-op. */
export interface CenterReportTable {
  id: Generated<number>;
  digest: string;
  kind: string;
  engine: string;
  /** Key of the registry, host or cluster the report is about. */
  scope_key: string | null;
  received_at: IsoTime;
  /** JSON: who pushed it ({kind, id, name}). */
  principal: Json;
  /** JSON: what applying it changed (counts). */
  summary: Json;
  /** The canonical text of a report received before migration 0015; '' since. */
  body: Json;
  /** The canonical text, raw DEFLATE (migration 0015). */
  body_deflated: Buffer | null;
}

/** States of a finding or control result: open | resolved | excepted (control results also `passed`). */
export interface CenterFindingTable {
  id: Generated<number>;
  /** resource × vulnerability × package purl. */
  result_key: string;
  resource_key: string;
  vuln_id: string;
  /** JSON array of alias ids. */
  aliases: Json;
  package_name: string;
  package_version: string;
  package_type: string;
  purl: string;
  severity: string;
  /** core/severity.ts severityRank (CRITICAL 4 … UNKNOWN 0), for sorting and `severity ≥` filters without a CASE. */
  severity_rank: number;
  fixed_version: string | null;
  /** fixed | affected | will_not_fix | fix_deferred | end_of_life */
  status: string;
  state: string;
  exception_id: number | null;
  /** JSON: the finding as the ImageScan document has it. */
  data: Json;
  /** What the lists show, copied from `data` when it is written (so a page never parses it). */
  title: string | null;
  remediation: string;
  report_id: number;
  first_seen: IsoTime;
  last_seen: IsoTime;
  resolved_at: IsoTime | null;
}

export interface CenterControlResultTable {
  id: Generated<number>;
  /** resource × engine × control × subject. */
  result_key: string;
  resource_key: string;
  engine: string;
  control: string;
  control_version: number;
  /** What within the resource failed, when a control can fail more than once on it (a field); '' otherwise. */
  subject: string;
  /** The engine's outcome: pass | fail | warn | info | manual | not_applicable | error */
  status: string;
  severity: string;
  severity_rank: number;
  /** JSON array of standards the control belongs to. */
  standards: Json;
  /** open | resolved | excepted | passed */
  state: string;
  exception_id: number | null;
  data: Json;
  /** What the lists show, copied from `data` when it is written (so a page never parses it). */
  title: string | null;
  message: string;
  field: string | null;
  remediation: string | null;
  report_id: number;
  first_seen: IsoTime;
  last_seen: IsoTime;
  resolved_at: IsoTime | null;
}

export interface CenterAlertTable {
  id: Generated<number>;
  /** resource × rule × first seen: the same alert pushed twice is one row. */
  alert_key: string;
  resource_key: string;
  rule: string;
  severity: string;
  severity_rank: number;
  source: string;
  count: number;
  /** new | acknowledged | in_progress | resolved | dismissed | excepted */
  state: string;
  assignee: string | null;
  /** Why it was dismissed or resolved. */
  reason: string | null;
  exception_id: number | null;
  data: Json;
  /** What the lists show, copied from `data` when it is written (so a page never parses it). */
  title: string | null;
  tactic: string;
  technique: string | null;
  /** JSON object. */
  evidence: Json;
  report_id: number;
  first_seen: IsoTime;
  last_seen: IsoTime;
  resolved_at: IsoTime | null;
  updated_at: IsoTime;
}

/** The packages of each image resource, as its last ImageScan listed them: "where does this package run?" */
export interface CenterPackageTable {
  id: Generated<number>;
  resource_key: string;
  name: string;
  version: string;
  type: string;
  purl: string;
  /** `packageLookup(name)`: the key the one package index is searched by, by name or by purl (migration 0014). */
  lookup: string;
  data: Json;
}

/** An exception in the one model: what, where, why, who, approved by, until. */
export interface CenterExceptionTable {
  id: Generated<number>;
  /** JSON array of control / advisory / rule ids; globs allowed. */
  targets: Json;
  /** JSON resource selector (registry/repository/image, host/container, cluster/namespace/kind/name, labels). */
  selector: Json;
  reason: string;
  requested_by: string;
  approved_by: string | null;
  /** pending | active | expired | revoked */
  status: string;
  expires: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface CenterScoreSnapshotTable {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** null when nothing was assessed. */
  percentage: number | null;
  /** JSON: [{name, max, current, healthy, unhealthy}] */
  controls: Json;
  taken_at: IsoTime;
}

/** A local user of the center (dashboard login). */
export interface UserTable {
  id: Generated<number>;
  name: string;
  /** admin | operator | viewer | agent */
  role: string;
  /** `scrypt$N$r$p$salt$hash` (salt and hash base64); never the password. */
  password_hash: string;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** A login session; the cookie holds the id, the table only its SHA-256 (hex). */
export interface SessionTable {
  id_hash: string;
  user_id: number;
  created_at: IsoTime;
  expires_at: IsoTime;
}

/** An API token `bh_<prefix>_<secret>`: only its SHA-256 (hex) and its visible prefix are kept. */
export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  /** The 8 characters after `bh_`, shown in lists to tell tokens apart. */
  prefix: string;
  token_hash: string;
  /** admin | operator | viewer | agent */
  role: string;
  /** For agent tokens: the one host/cluster/registry resource key it may report about. */
  scope: string | null;
  /** Who created it: `user:<name>`, `token:<prefix>` or `cli`. */
  created_by: string;
  created_at: IsoTime;
  expires_at: IsoTime | null;
  last_used_at: IsoTime | null;
  revoked_at: IsoTime | null;
}

export type ScanRow = Selectable<ScanTable>;
export type NewScan = Insertable<ScanTable>;
export type ControlResultRow = Selectable<ControlResultTable>;
export type ResourceRow = Selectable<ResourceTable>;
