import type { ResourceRef } from './resource.js';
import type { Severity } from './severity.js';

/** Status of a vulnerability for a package, as the advisory source states it. */
export const VULNERABILITY_STATUSES = [
  'fixed',
  'affected',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
] as const;
export type VulnerabilityStatus = (typeof VULNERABILITY_STATUSES)[number];

/** purl types Bulkhead catalogs. */
export const PACKAGE_TYPES = [
  'deb',
  'apk',
  'rpm',
  'npm',
  'pypi',
  'golang',
  'maven',
  'cargo',
  'gem',
  'nuget',
  'composer',
] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export interface PackageRef {
  name: string;
  version: string;
  type: PackageType;
  purl: string;
  /** Source (Debian) or origin (Alpine) package the binary package was built from. */
  sourceName?: string;
  sourceVersion?: string;
}

export interface CvssScore {
  source: string;
  version: string;
  vector: string;
  score: number;
}

/** One (package, vulnerability) pair found in an image. Keyed by image digest × package × advisory. */
export interface VulnerabilityFinding {
  id: string;
  aliases: string[];
  package: PackageRef;
  fixedVersion: string | null;
  status: VulnerabilityStatus;
  severity: Severity;
  /** Which source the severity came from. @example 'debian' */
  severitySource: string;
  cvss?: CvssScore[];
  title?: string;
  /** What a person does about it. @example 'upgrade libssl1.1 1.1.1d-0+deb10u2 → 1.1.1n-0+deb10u1 (source openssl)' */
  remediation: string;
  dataSource: { id: string; name: string };
  /** Digest of the layer that introduced the package. */
  layer?: string;
}

/** Outcome of one control on one resource. */
export const CONTROL_STATUSES = [
  'pass',
  'fail',
  'warn',
  'info',
  'manual',
  'not_applicable',
  'error',
] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** One control evaluated on one resource. Keyed by control id × resource. */
export interface ControlResult {
  control: string;
  /** Version of the control's logic that produced the result. */
  controlVersion?: number;
  title: string;
  severity: Severity;
  standards: string[];
  resource: ResourceRef;
  status: ControlStatus;
  message: string;
  /** Object path of the offending field. @example 'spec.containers[0].securityContext.privileged' */
  field?: string;
  evidence?: unknown;
  remediation: string;
  /** Set when an exception suppressed the result. */
  suppressedBy?: { reason: string; expires?: string };
}

/** A run-time alert. Keyed by rule id × resource × time window. */
export interface Alert {
  rule: string;
  title: string;
  severity: Severity;
  tactic: string;
  technique?: string;
  source: string;
  resource: ResourceRef;
  firstSeen: string;
  lastSeen: string;
  count: number;
  evidence: Record<string, unknown>;
}

/**
 * A control (or "resolve vulnerabilities in images") with the resources that fail it.
 * Derived from results, never stored by hand.
 */
export interface Recommendation {
  id: string;
  title: string;
  severity: Severity;
  kind: 'control' | 'vulnerabilities';
  unhealthy: ResourceRef[];
  healthyCount: number;
  remediation: string;
}
