import type { ResourceRef } from './resource.js';
import type { Severity } from './severity.js';

/** Status of a vulnerability for a package, as the advisory source states it (`--ignore-status` words). */
export const VULNERABILITY_STATUSES = [
  'fixed',
  'affected',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
] as const;
export type VulnerabilityStatus = (typeof VULNERABILITY_STATUSES)[number];

/** The purl types Bulkhead catalogs (CONTRACTS.md), and `k8s` (Kubernetes components, read from KBOMs). */
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
  'swift',
  'hex',
  'conda',
  'julia',
  'cocoapods',
  'conan',
  'pub',
  'hackage',
  'k8s',
] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/**
 * Package types an operating system's package manager installs. Their findings are `os` class (Trivy's
 * `--pkg-types os`), their advisories come from the distribution, and a fix names the source package.
 */
export const OS_PACKAGE_TYPES = ['deb', 'apk', 'rpm'] as const satisfies readonly PackageType[];
export type OsPackageType = (typeof OS_PACKAGE_TYPES)[number];

/** Whether a package type (any string, e.g. from an SBOM) is one of `OS_PACKAGE_TYPES`. */
export function isOsPackageType(type: string): type is OsPackageType {
  return (OS_PACKAGE_TYPES as readonly string[]).includes(type);
}

export interface PackageRef {
  name: string;
  version: string;
  type: PackageType;
  purl: string;
  /** Source (Debian) or origin (Alpine) package the binary package was built from. */
  sourceName?: string;
  sourceVersion?: string;
}

/** A CVSS vector as a source published it; `score` when published or computable (v2, v3.x). */
export interface CvssScore {
  source: string;
  version: string;
  vector: string;
  score?: number;
}

/**
 * One (package, vulnerability) pair found in an artifact: the ImageScan `vulnerabilities[]` entry (CONTRACTS.md).
 * Keyed by image digest × package × advisory.
 */
export interface VulnerabilityFinding {
  id: string;
  aliases: string[];
  package: PackageRef;
  fixedVersion: string | null;
  status: VulnerabilityStatus;
  /** Why a fix is missing, as the source says it. @example 'no-dsa', 'minor issue' */
  statusReason?: string;
  severity: Severity;
  /** Which source the severity came from. @example 'debian' */
  severitySource: string;
  cvss?: CvssScore[];
  title?: string;
  /** What a person does about it. @example 'upgrade libssl1.1 1.1.1d-0+deb10u2 → 1.1.1n-0+deb10u1 (source openssl)' */
  remediation: string;
  dataSource: { id: string; name: string };
  /** Pages about it: the source's advisory, then NVD / GitHub advisory pages of its CVE and GHSA ids. */
  links?: string[];
  /** Diff id of the layer that introduced the package. */
  layer?: string;
  /** The Dockerfile instruction of that layer, from the image history. */
  layerInstruction?: string;
  /** Where the package was found. */
  path?: string;
  /** In CISA's Known Exploited Vulnerabilities catalog (by the finding's CVE id or a CVE alias). */
  kev?: KevMark;
  /** FIRST's EPSS score of the finding's CVE (the highest of its CVE ids). */
  epss?: EpssMark;
  /** Priority: higher first (`--sort risk`); see scan/risk.ts for the order it encodes. */
  risk?: number;
}

/** A finding's KEV entry: when CISA added it, the remediation due date, whether ransomware campaigns use it. */
export interface KevMark {
  /** YYYY-MM-DD */
  dateAdded: string;
  /** YYYY-MM-DD */
  dueDate: string | null;
  /** `Known` or `Unknown`, as the catalog says. */
  knownRansomwareCampaignUse: string;
}

/** A finding's EPSS score: probability of exploitation activity in the next 30 days (0–1), and its percentile. */
export interface EpssMark {
  score: number;
  percentile: number;
  /** YYYY-MM-DD of the scores. */
  date: string;
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

/** A control's plain passes counted: what its pass results would say of it, but one object for all of them. */
export interface PassCount {
  title: string;
  severity: Severity;
  standards: string[];
  controlVersion?: number;
  n: number;
}

/**
 * Plain passes (no exception involved) counted as they are produced instead of kept one result each: what the
 * summary, the per-control table and the store say of passes, without the rows (10,000 objects give 210,000 of
 * them). `objects` lists the resource of every object that had any result, pass or fail, in evaluation order, with
 * where it was read: the objects whose results were all passes count as resources too.
 */
export interface CountedPasses<Source extends object = object> {
  /** Per control, in the order of its first pass. */
  controls: Map<string, PassCount>;
  objects: { resource: ResourceRef; source: Source }[];
}

/** How many passes were counted in all. */
export function countedPassTotal(passes: CountedPasses | undefined): number {
  let n = 0;
  for (const c of passes?.controls.values() ?? []) n += c.n;
  return n;
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
