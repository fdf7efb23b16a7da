import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database as the code sees it. JSON columns hold text (the same in SQLite and PostgreSQL) and are
 * converted in json-column.ts only; times are ISO-8601 text so that both dialects sort and compare them alike.
 */
export interface Database {
  advisory_sources: AdvisorySourceTable;
  advisories: AdvisoryTable;
  images: ImageTable;
  image_packages: ImagePackageTable;
  scans: ScanTable;
  findings: FindingTable;
  control_results: ControlResultTable;
  resources: ResourceTable;
  alerts: AlertTable;
}

type Json = string;
type IsoTime = string;

export interface AdvisorySourceTable {
  id: Generated<number>;
  name: string;
  /** Feed format that produced the records. @example 'osv' */
  format: string;
  records: number;
  imported_at: IsoTime;
  newest: IsoTime | null;
  url: string | null;
  etag: string | null;
  last_modified: string | null;
}

export interface AdvisoryTable {
  id: Generated<number>;
  source_id: number;
  vuln_id: string;
  /** Ecosystem + distro + release. @example 'deb/debian/12' */
  namespace: string;
  /** Source package (Debian), origin (Alpine) or ecosystem package name. */
  package: string;
  state: string;
  /** OSV-style affected ranges and explicit versions. */
  ranges: Json;
  fixed_version: string | null;
  severity: Json;
  aliases: Json;
  title: string | null;
  published: IsoTime | null;
  modified: IsoTime | null;
  data: Json;
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

export type ScanRow = Selectable<ScanTable>;
export type NewScan = Insertable<ScanTable>;
export type ControlResultRow = Selectable<ControlResultTable>;
export type ResourceRow = Selectable<ResourceTable>;
