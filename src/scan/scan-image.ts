import type { Kysely } from 'kysely';
import type { AssessmentHead } from '../core/assessment.js';
import { UserInputError } from '../core/errors.js';
import { checkInputFile } from '../core/input-file.js';
import type { Report } from '../core/render/index.js';
import { isOsPackageType, type VulnerabilityFinding, type VulnerabilityStatus } from '../core/results.js';
import { emptySeverityCounts, type Severity } from '../core/severity.js';
import { imageLocation } from '../image/reference-name.js';
import { type LicenseFinding, licenseFindings } from '../license/license-findings.js';
import { type LicensePolicy, LicensePolicy as LicensePolicySchema } from '../license/policy.js';
import { type CatalogOptions, catalogImage, osOwnedNotice } from '../sbom/catalog.js';
import type { DetectionPriority } from '../sbom/os-owned.js';
import type { Package } from '../sbom/types.js';
import { type SecretScanner, secretScanner } from '../secret/secret-scanner.js';
import type { SecretFinding } from '../secret/types.js';
import type { Database } from '../store/schema.js';
import { baseAdvice } from './base-advice.js';
import { baseImage } from './base-image.js';
import {
  ageInDays,
  coverageMessages,
  DEFAULT_MAX_DB_AGE_DAYS,
  hasAdvisoryData,
  type NamespaceCoverage,
  namespaceCoverage,
  neededNamespaces,
  newestAdvisoryDate,
} from './coverage.js';
import { type IgnoreEntry, loadIgnoreFile } from './ignore-file.js';
import { saveImageScan } from './persist.js';
import { type ImageScanExtras, scanDocument, scanReport } from './report.js';
import { readSbom } from './sbom-input.js';
import { type FindingOrder, type PackageClass, scanPackages } from './scan.js';
import { DEFAULT_SCANNERS, type ScannerName } from './scanners.js';
import type { ScanInput, ScanResult } from './types.js';
import { loadVex, type VexStatement } from './vex.js';
import { openVexRepositories, repositoryVex } from './vex-repository.js';

export interface ScanImageOptions {
  /** TRANSPORT:REF, a registry reference, a path, or `sbom:PATH`. */
  target: string;
  /** `--scanners`: what to look for; default `['vuln']`. Only `vuln` needs advisory data and is stored. */
  scanners?: readonly ScannerName[];
  /** The licence policy (`licensePolicy` in config.yaml); absent = the default per category. */
  licensePolicy?: LicensePolicy;
  catalog?: CatalogOptions;
  severities?: Severity[];
  ignoreUnfixed?: boolean;
  packageClasses?: PackageClass[];
  ignoreStatuses?: VulnerabilityStatus[];
  /** Exceptions file (YAML); absent = none. */
  ignoreFile?: string;
  /** VEX documents, or `repo:DIR` for a local VEX repository. */
  vex?: string[];
  /** Record the scan in the store (default true). */
  store?: boolean;
  /** Exit code when findings remain (`--exit-code`); 0 or absent = no gate. */
  exitCode?: number;
  /** Which remaining findings trip `exitCode` (`--kev`, `--epss-threshold`); absent = any. */
  gateOn?: GateCriteria;
  /** `--sort`: severity (default) or risk. */
  sort?: FindingOrder;
  /** `--vuln-severity-source`: whose severity each finding takes, in order; default `['auto']`. */
  severitySources?: readonly string[];
  /** Exit code when the OS is end of life (`--exit-on-eol`), checked after the findings' gate. */
  eolExitCode?: number;
  /** `--allow-uncovered`: a scan that could not assess a namespace (healthy null) does not trip the gate. */
  allowUncovered?: boolean;
  /** Days after which the newest advisory data is called stale (default 7). */
  maxDbAgeDays?: number;
  now?: Date;
}

/** Progress and notices, for a CLI to draw and a job to log; all optional. */
export interface ScanImageHooks {
  /** Something worth telling (skipped files, malformed VEX index entries); a CLI hides it under --quiet. */
  notice?(message: string): void;
  /**
   * Something that changes how far the result can be trusted (coverage gaps, stale data, expired exceptions, end of
   * life); a CLI shows it even under --quiet. Falls back on `notice`.
   */
  warning?(message: string): void;
  /** Layer `index` of `total` is being read. */
  layer?(index: number, total: number): void;
}

/** What one image scan gives: the ImageScan document, the report for the CLI's formats, and its gate. */
export interface ImageScanOutcome {
  document: ReturnType<typeof scanDocument>;
  report: Report;
  result: ScanResult;
  input: ScanInput;
  /**
   * The exit code the gates ask for (0 when none matched); `secretsOrLicenses`: secrets or denied licences were
   * found, which trip `--exit-code` whatever a center says of the vulnerabilities.
   */
  gate: { exitCode: number; secretsOrLicenses: boolean };
  scanners: readonly ScannerName[];
  /** With the `secret` scanner. */
  secrets?: SecretFinding[];
  /** With the `license` scanner. */
  licenses?: LicenseFinding[];
}

const LOCAL_TRANSPORTS_WITHOUT_REGISTRY = new Set(['dir', 'docker-archive', 'oci-archive', 'oci', 'sbom']);

/**
 * Scan one image (or SBOM) against the advisory database in `store`: catalog or read the SBOM, apply the ignore
 * file and VEX, match, persist (unless `store: false`), and decide the gates. Never writes to stdout or exits.
 */
export async function scanImage(
  store: { db: Kysely<Database> },
  options: ScanImageOptions,
  hooks: ScanImageHooks = {},
): Promise<ImageScanOutcome> {
  const notice = (m: string) => hooks.notice?.(m);
  const warning = (m: string) => (hooks.warning ? hooks.warning(m) : hooks.notice?.(m));
  const now = options.now ?? new Date();
  const scanners = options.scanners ?? DEFAULT_SCANNERS;
  const vuln = scanners.includes('vuln');
  // a named input file that is missing or not a regular file is said first: it is what the user can fix now
  const local = /^(sbom|docker-archive|oci-archive):(.+)$/.exec(options.target);
  if (local) checkInputFile(local[2]!, { maxBytes: Number.MAX_SAFE_INTEGER });
  // an empty database assesses nothing: fail before the image is even read, not with a clean verdict
  if (vuln && !(await hasAdvisoryData(store.db)))
    throw new UserInputError('no advisory data', 'run `bulkhead db update` or `db import`');
  const ignore: IgnoreEntry[] = options.ignoreFile ? loadIgnoreFile(options.ignoreFile) : [];
  const vexArgs = options.vex ?? [];
  const vex: VexStatement[] = vexArgs.filter((v) => !v.startsWith('repo:')).flatMap((f) => loadVex(f));
  const repos = vexArgs
    .filter((v) => v.startsWith('repo:'))
    .flatMap((v) => openVexRepositories(v.slice('repo:'.length)));
  for (const r of repos)
    if (r.dropped > 0)
      notice(`warning: VEX repository ${r.name}: ${r.dropped} malformed index entries dropped`);
  const secrets = scanners.includes('secret') ? secretScanner() : undefined;
  if (secrets && options.target.startsWith('sbom:'))
    throw new UserInputError('--scanners', 'secret scanning reads image layers: give an image, not an SBOM');
  const { input, identity, layers, detectionPriority } = await imageInput(options, hooks, {
    secrets,
    packages: vuln || scanners.includes('license'),
  });
  const vulnerabilities = vuln
    ? await scanVulnerabilities(store, options, input, { vex, repos, ignore, now, warning })
    : { result: notScanned(input), coverage: [] };
  const { result, coverage } = vulnerabilities;
  const secretsFound = secrets
    ? secrets
        .findings(layers, input.layerInstructions)
        .filter((f) => !options.severities || options.severities.includes(f.severity))
    : undefined;
  const licenses = scanners.includes('license')
    ? licenseFindings(input.packages, options.licensePolicy ?? LicensePolicySchema.parse({}))
    : undefined;
  const secretsOrLicenses =
    (secretsFound?.length ?? 0) > 0 || (licenses ?? []).some((l) => l.classification === 'denied');
  // a secret or a denied licence makes the image unhealthy whatever its vulnerabilities
  if (secretsOrLicenses) result.healthy = false;
  const base = baseImage(input, result.vulnerabilities);
  if (base && vuln) {
    const fromBase =
      base.findings?.base ?? result.vulnerabilities.filter((f) => isOsPackageType(f.package.type)).length;
    const advice = await baseAdvice(store.db, base, fromBase);
    if (advice) base.advice = advice;
  }
  const extras = {
    ...imageScanExtras(input, identity, vuln ? coverage : undefined),
    scanners,
    ...(detectionPriority ? { detectionPriority } : {}),
    ...(secretsFound ? { secrets: secretsFound } : {}),
    ...(licenses ? { licenses } : {}),
    ...(base ? { baseImage: base } : {}),
  };
  const document = scanDocument(result, options.now, extras);
  let exitCode = 0;
  const allowUncovered = options.allowUncovered === true;
  if (
    options.exitCode &&
    (secretsOrLicenses ||
      (vuln &&
        (gateFails(result, allowUncovered, options.gateOn) || uncoveredFails(coverage, allowUncovered))))
  )
    exitCode = options.exitCode;
  // an end-of-life OS gets no fixes at all: its own gate, checked after the findings' (as Trivy orders them)
  if (options.eolExitCode && result.artifact.os?.eol) exitCode = options.eolExitCode;
  return {
    document,
    report: scanReport(result, input.packages, document, extras),
    result,
    input,
    gate: { exitCode, secretsOrLicenses },
    scanners,
    ...(secretsFound ? { secrets: secretsFound } : {}),
    ...(licenses ? { licenses } : {}),
  };
}

/** The vulnerability scanner: VEX repositories, coverage and staleness warnings, matching, and the store. */
async function scanVulnerabilities(
  store: { db: Kysely<Database> },
  options: ScanImageOptions,
  input: ScanInput,
  context: {
    vex: VexStatement[];
    repos: ReturnType<typeof openVexRepositories>;
    ignore: IgnoreEntry[];
    now: Date;
    warning: (m: string) => void;
  },
): Promise<{ result: ScanResult; coverage: NamespaceCoverage[] }> {
  const { vex, repos, ignore, now, warning } = context;
  if (repos.length > 0)
    vex.push(...repositoryVex(repos, [...(input.components ?? []), ...input.packages.map((p) => p.purl)]));
  const coverage = await namespaceCoverage(store.db, neededNamespaces(input));
  for (const w of coverageMessages(coverage)) warning(`warning: ${w}`);
  const newest = await newestAdvisoryDate(store.db);
  const age = ageInDays(newest, now);
  const maxAge = options.maxDbAgeDays ?? DEFAULT_MAX_DB_AGE_DAYS;
  if (age !== undefined && age > maxAge)
    warning(
      `warning: the advisory data is ${age} days old (newest record ${newest!.slice(0, 10)}, limit ${maxAge} days): run \`bulkhead db update\``,
    );
  const result = await scanPackages(store.db, input, {
    ...(options.severities ? { severities: options.severities } : {}),
    ignoreUnfixed: options.ignoreUnfixed === true,
    ...(options.packageClasses ? { packageClasses: options.packageClasses } : {}),
    ...(options.ignoreStatuses ? { ignoreStatuses: options.ignoreStatuses } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.severitySources ? { severitySources: options.severitySources } : {}),
    now,
    ignore,
    vex,
  });
  // a namespace without advisory data was not assessed: the scan cannot call the image healthy; with findings
  // elsewhere it is still known to be unhealthy
  if (coverage.some((c) => !c.covered) && result.healthy === true) result.healthy = null;
  if (options.store !== false) await saveImageScan(store.db, input, result);
  for (const e of result.expiredExceptions)
    warning(
      `warning: ${options.ignoreFile}: exception ${e.id} expired on ${e.expires} and no longer suppresses`,
    );
  if (result.artifact.os?.eol)
    warning(
      `warning: ${result.artifact.os.family} ${result.artifact.os.version} is end of life (${result.artifact.os.endOfLife}): it gets no security fixes`,
    );
  return { result, coverage };
}

/** The ScanResult of a scan without the vulnerability scanner: nothing assessed, nothing found. */
function notScanned(input: ScanInput): ScanResult {
  return {
    target: input.target,
    artifact: {
      ...(input.digest ? { digest: input.digest } : {}),
      ...(input.os ? { os: { family: input.os.family, version: input.os.version } } : {}),
    },
    healthy: null,
    summary: emptySeverityCounts(),
    vulnerabilities: [],
    fixUnits: [],
    suppressed: [],
    expiredExceptions: [],
    packages: input.packages.length,
  };
}

/** Which remaining findings trip the gate: any (neither set), or those in KEV and/or with EPSS ≥ the threshold. */
export interface GateCriteria {
  /** `--kev`: a finding in CISA's KEV catalog. */
  kev?: boolean;
  /** `--epss-threshold N`: a finding whose EPSS score is at least N (0–1). */
  epssThreshold?: number;
}

/** The remaining findings that trip the gate under `criteria`. */
export function gatingFindings(
  findings: readonly VulnerabilityFinding[],
  criteria: GateCriteria = {},
): VulnerabilityFinding[] {
  const { kev, epssThreshold } = criteria;
  if (!kev && epssThreshold === undefined) return [...findings];
  return findings.filter(
    (f) =>
      (kev === true && f.kev !== undefined) ||
      (epssThreshold !== undefined && f.epss !== undefined && f.epss.score >= epssThreshold),
  );
}

/**
 * Whether the findings' gate trips: findings remain that `criteria` counts (all by default), or the scan could
 * not assess a namespace (healthy null), which counts as failing unless `--allow-uncovered`.
 */
export function gateFails(
  result: Pick<ScanResult, 'healthy' | 'vulnerabilities'>,
  allowUncovered: boolean,
  criteria: GateCriteria = {},
) {
  const open = gatingFindings(result.vulnerabilities, criteria).length > 0;
  if (result.healthy === null) return !allowUncovered || open;
  return open;
}

/** Whether the scan left a namespace unassessed and that trips the gate (no `--allow-uncovered`). */
export function uncoveredFails(
  coverage: readonly { covered: boolean }[] | undefined,
  allowUncovered: boolean,
) {
  return !allowUncovered && (coverage ?? []).some((c) => !c.covered);
}

/** Names of the image beyond the scan input: where it came from and what registries call it. */
interface ImageIdentity {
  transport: string;
  repoDigests?: string[];
}

async function imageInput(
  options: ScanImageOptions,
  hooks: ScanImageHooks,
  scanners: { secrets: SecretScanner | undefined; packages: boolean },
): Promise<{
  input: ScanInput;
  identity: ImageIdentity;
  layers: string[];
  detectionPriority?: DetectionPriority;
}> {
  const { target } = options;
  if (target.startsWith('sbom:'))
    return { input: readSbom(target.slice('sbom:'.length)), identity: { transport: 'sbom' }, layers: [] };
  const result = await catalogImage(target, {
    ...options.catalog,
    ...(hooks.layer ? { onLayer: hooks.layer } : {}),
    ...(scanners.secrets ? { tap: scanners.secrets.tap } : {}),
    // a secrets-only scan still walks every layer, but catalogs nothing beyond the OS
    ...(scanners.packages ? {} : { catalogers: [] }),
  });
  for (const s of result.skipped) hooks.notice?.(`warning: ${s.path}: ${s.reason}`);
  const ownedNotice = osOwnedNotice(result);
  if (ownedNotice) hooks.notice?.(ownedNotice);
  const { layers, layerCommands, repoDigests, base } = result.artifact;
  const layerInstructions =
    layers && layerCommands
      ? Object.fromEntries(layers.flatMap((l, i) => (layerCommands[i] ? [[l, layerCommands[i]!]] : [])))
      : undefined;
  return {
    input: {
      target: result.artifact.name,
      ...(result.artifact.digest ? { digest: result.artifact.digest } : {}),
      ...(result.artifact.manifestDigest ? { manifestDigest: result.artifact.manifestDigest } : {}),
      ...(result.artifact.repoTags?.length ? { repoTags: result.artifact.repoTags } : {}),
      ...(layerInstructions ? { layerInstructions } : {}),
      ...(result.artifact.os ? { os: result.artifact.os } : {}),
      ...(result.artifact.components ? { components: result.artifact.components } : {}),
      ...(base ? { base: { ...base, layers: (layers ?? []).slice(0, base.layers) } } : {}),
      packages: result.packages,
    },
    identity: { transport: result.artifact.transport, ...(repoDigests?.length ? { repoDigests } : {}) },
    layers: layers ?? [],
    // a secrets-only scan catalogs no language package: it filtered nothing
    ...(scanners.packages ? { detectionPriority: result.detectionPriority } : {}),
  };
}

/** The fields the center needs to file and re-match an image without pulling it. */
function imageScanExtras(
  input: ScanInput,
  identity: ImageIdentity,
  coverage: NamespaceCoverage[] | undefined,
): ImageScanExtras {
  const named = identity.repoDigests?.[0] ?? input.repoTags?.[0];
  const location =
    !LOCAL_TRANSPORTS_WITHOUT_REGISTRY.has(identity.transport) && named ? imageLocation(named) : undefined;
  // only a package with licences is copied: a copy of each of an SBOM's 200,000 packages had been ~10 MB at the peak
  const packages: Package[] = input.packages.map((p) => {
    if (!('licenses' in p)) return p;
    const { licenses: _l, ...rest } = p;
    return rest;
  });
  const head: AssessmentHead<{ type: 'image'; id: string; name: string }> = {
    engine: 'image-scan',
    origin: location ? { registry: location.registry } : {},
    complete: true,
    assessed: [
      { type: 'image', id: input.manifestDigest ?? input.digest ?? input.target, name: input.target },
    ],
  };
  return {
    head,
    artifact: {
      ...(input.manifestDigest ? { manifestDigest: input.manifestDigest } : {}),
      ...(identity.repoDigests?.length ? { repoDigests: identity.repoDigests } : {}),
      ...(input.repoTags?.length ? { repoTags: input.repoTags } : {}),
      ...(location ? location : {}),
    },
    packages,
    ...(coverage ? { coverage } : {}),
  };
}
