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
  images: ImageTable;
  image_packages: ImagePackageTable;
  scans: ScanTable;
  findings: FindingTable;
  control_results: ControlResultTable;
  resources: ResourceTable;
  alerts: AlertTable;
  admission_decisions: AdmissionDecisionTable;
  audit_log: AuditLogTable;
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

export type ScanRow = Selectable<ScanTable>;
export type NewScan = Insertable<ScanTable>;
export type ControlResultRow = Selectable<ControlResultTable>;
export type ResourceRow = Selectable<ResourceTable>;
