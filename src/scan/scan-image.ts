import type { Kysely } from 'kysely';
import type { AssessmentHead } from '../core/assessment.js';
import type { Report } from '../core/render/index.js';
import type { VulnerabilityStatus } from '../core/results.js';
import type { Severity } from '../core/severity.js';
import { imageLocation } from '../image/reference-name.js';
import { type CatalogOptions, catalogImage } from '../sbom/catalog.js';
import type { Package } from '../sbom/types.js';
import type { Database } from '../store/schema.js';
import { coverageWarnings } from './coverage.js';
import { type IgnoreEntry, loadIgnoreFile } from './ignore-file.js';
import { saveImageScan } from './persist.js';
import { type ImageScanExtras, scanDocument, scanReport } from './report.js';
import { readSbom } from './sbom-input.js';
import { type PackageClass, scanPackages } from './scan.js';
import type { ScanInput, ScanResult } from './types.js';
import { loadVex, type VexStatement } from './vex.js';
import { openVexRepositories, repositoryVex } from './vex-repository.js';

export interface ScanImageOptions {
  /** TRANSPORT:REF, a registry reference, a path, or `sbom:PATH`. */
  target: string;
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
  /** Exit code when the OS is end of life (`--exit-on-eol`), checked after the findings' gate. */
  eolExitCode?: number;
  now?: Date;
}

/** Progress and notices, for a CLI to draw and a job to log; all optional. */
export interface ScanImageHooks {
  /** A warning worth showing (skipped files, coverage gaps, expired exceptions, end of life). */
  notice?(message: string): void;
  /** Layer `index` of `total` is being read. */
  layer?(index: number, total: number): void;
}

/** What one image scan gives: the ImageScan document, the report for the CLI's formats, and its gate. */
export interface ImageScanOutcome {
  document: ReturnType<typeof scanDocument>;
  report: Report;
  result: ScanResult;
  input: ScanInput;
  /** The exit code the gates ask for (0 when none matched). */
  gate: { exitCode: number };
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
  const ignore: IgnoreEntry[] = options.ignoreFile ? loadIgnoreFile(options.ignoreFile) : [];
  const vexArgs = options.vex ?? [];
  const vex: VexStatement[] = vexArgs.filter((v) => !v.startsWith('repo:')).flatMap((f) => loadVex(f));
  const repos = vexArgs
    .filter((v) => v.startsWith('repo:'))
    .flatMap((v) => openVexRepositories(v.slice('repo:'.length)));
  for (const r of repos)
    if (r.dropped > 0)
      notice(`warning: VEX repository ${r.name}: ${r.dropped} malformed index entries dropped`);
  const { input, identity } = await imageInput(options, hooks);
  if (repos.length > 0)
    vex.push(...repositoryVex(repos, [...(input.components ?? []), ...input.packages.map((p) => p.purl)]));
  for (const w of await coverageWarnings(store.db, input)) notice(`warning: ${w}`);
  const result = await scanPackages(store.db, input, {
    ...(options.severities ? { severities: options.severities } : {}),
    ignoreUnfixed: options.ignoreUnfixed === true,
    ...(options.packageClasses ? { packageClasses: options.packageClasses } : {}),
    ...(options.ignoreStatuses ? { ignoreStatuses: options.ignoreStatuses } : {}),
    ...(options.now ? { now: options.now } : {}),
    ignore,
    vex,
  });
  if (options.store !== false) await saveImageScan(store.db, input, result);
  for (const e of result.expiredExceptions)
    notice(
      `warning: ${options.ignoreFile}: exception ${e.id} expired on ${e.expires} and no longer suppresses`,
    );
  if (result.artifact.os?.eol)
    notice(
      `warning: ${result.artifact.os.family} ${result.artifact.os.version} is end of life (${result.artifact.os.endOfLife}): it gets no security fixes`,
    );
  const extras = imageScanExtras(input, identity);
  const document = scanDocument(result, options.now, extras);
  let exitCode = 0;
  if (options.exitCode && !result.healthy) exitCode = options.exitCode;
  // an end-of-life OS gets no fixes at all: its own gate, checked after the findings' (as Trivy orders them)
  if (options.eolExitCode && result.artifact.os?.eol) exitCode = options.eolExitCode;
  return {
    document,
    report: scanReport(result, input.packages, document),
    result,
    input,
    gate: { exitCode },
  };
}

/** Names of the image beyond the scan input: where it came from and what registries call it. */
interface ImageIdentity {
  transport: string;
  repoDigests?: string[];
}

async function imageInput(
  options: ScanImageOptions,
  hooks: ScanImageHooks,
): Promise<{ input: ScanInput; identity: ImageIdentity }> {
  const { target } = options;
  if (target.startsWith('sbom:'))
    return { input: readSbom(target.slice('sbom:'.length)), identity: { transport: 'sbom' } };
  const result = await catalogImage(target, {
    ...options.catalog,
    ...(hooks.layer ? { onLayer: hooks.layer } : {}),
  });
  for (const s of result.skipped) hooks.notice?.(`warning: ${s.path}: ${s.reason}`);
  const { layers, layerCommands, repoDigests } = result.artifact;
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
      packages: result.packages,
    },
    identity: { transport: result.artifact.transport, ...(repoDigests?.length ? { repoDigests } : {}) },
  };
}

/** The fields the center needs to file and re-match an image without pulling it. */
function imageScanExtras(input: ScanInput, identity: ImageIdentity): ImageScanExtras {
  const named = identity.repoDigests?.[0] ?? input.repoTags?.[0];
  const location =
    !LOCAL_TRANSPORTS_WITHOUT_REGISTRY.has(identity.transport) && named ? imageLocation(named) : undefined;
  const packages: Package[] = input.packages.map(({ licenses: _l, ...p }) => p);
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
  };
}
