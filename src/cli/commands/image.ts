import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { errorMessage, UserInputError } from '../../core/errors.js';
import { parseSeverityList, type Severity } from '../../core/severity.js';
import type { IgnoreEntry } from '../../scan/ignore-file.js';
import type { PackageClass } from '../../scan/scan.js';
import { FINDING_STATUSES, type ScanInput } from '../../scan/types.js';
import type { VexStatement } from '../../scan/vex.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { catalogOptionsOf, type ImageSourceFlags, withImageSourceOptions } from '../image-source-options.js';
import { createProgress } from '../progress.js';

interface ScanFlags extends ImageSourceFlags {
  severity?: string;
  pkgTypes?: string;
  ignoreStatus?: string;
  exitOnEol?: string;
  ignoreUnfixed?: boolean;
  exitCode?: string;
  ignoreFile?: string;
  vex?: string[];
  store?: boolean;
}

const DEFAULT_IGNORE_FILE = '.bulkheadignore';

function severities(list: string | undefined): Severity[] | undefined {
  if (!list) return undefined;
  try {
    return parseSeverityList(list);
  } catch (error) {
    throw new UserInputError('--severity', errorMessage(error));
  }
}

/** Trivy's --pkg-types words (the scan engine is loaded only when a scan runs). */
const PACKAGE_CLASSES = ['os', 'library'] as const satisfies readonly PackageClass[];

/** A comma-separated list of words, each one of `allowed`; undefined when the flag is absent. */
function wordsOf<T extends string>(
  flag: string,
  list: string | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (!list) return undefined;
  const words = list
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  for (const w of words)
    if (!(allowed as readonly string[]).includes(w))
      throw new UserInputError(flag, `"${w}" is not one of ${allowed.join(', ')}`);
  return words as T[];
}

function exitCode(value: string | undefined, flag = '--exit-code'): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 125)
    throw new UserInputError(flag, `"${value}" is not an exit code (0-125)`);
  return n;
}

async function imageInput(ctx: CliContext, target: string, opts: ScanFlags): Promise<ScanInput> {
  if (target.startsWith('sbom:')) {
    const { readSbom } = await import('../../scan/sbom-input.js');
    return readSbom(target.slice('sbom:'.length));
  }
  const { catalogImage } = await import('../../sbom/catalog.js');
  const progress = createProgress(ctx, 'layers');
  try {
    const result = await catalogImage(target, {
      ...catalogOptionsOf(opts),
      onLayer: (i, total) => {
        progress.total(total);
        progress.label(`layer ${i + 1}/${total}`);
        if (i > 0) progress.advance();
      },
    });
    for (const s of result.skipped) ctx.notice(`warning: ${s.path}: ${s.reason}`);
    const { layers, layerCommands } = result.artifact;
    const layerInstructions =
      layers && layerCommands
        ? Object.fromEntries(layers.flatMap((l, i) => (layerCommands[i] ? [[l, layerCommands[i]!]] : [])))
        : undefined;
    return {
      target: result.artifact.name,
      ...(result.artifact.digest ? { digest: result.artifact.digest } : {}),
      ...(result.artifact.manifestDigest ? { manifestDigest: result.artifact.manifestDigest } : {}),
      ...(result.artifact.repoTags?.length ? { repoTags: result.artifact.repoTags } : {}),
      ...(layerInstructions ? { layerInstructions } : {}),
      ...(result.artifact.os ? { os: result.artifact.os } : {}),
      ...(result.artifact.components ? { components: result.artifact.components } : {}),
      packages: result.packages,
    };
  } finally {
    progress.stop();
  }
}

async function scan(ctx: CliContext, target: string, opts: ScanFlags): Promise<void> {
  const [{ coverageWarnings }, { loadIgnoreFile }, { saveImageScan }, { scanReport }, { scanPackages }] =
    await Promise.all([
      import('../../scan/coverage.js'),
      import('../../scan/ignore-file.js'),
      import('../../scan/persist.js'),
      import('../../scan/report.js'),
      import('../../scan/scan.js'),
    ]);
  const [{ loadVex }, { openVexRepositories, repositoryVex }] = await Promise.all([
    import('../../scan/vex.js'),
    import('../../scan/vex-repository.js'),
  ]);
  const wanted = severities(opts.severity);
  const classes = wordsOf('--pkg-types', opts.pkgTypes, PACKAGE_CLASSES);
  const statuses = wordsOf('--ignore-status', opts.ignoreStatus, FINDING_STATUSES);
  const gate = exitCode(opts.exitCode);
  const eolGate = exitCode(opts.exitOnEol, '--exit-on-eol');
  const ignoreFile = opts.ignoreFile ?? (existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  const ignore: IgnoreEntry[] = ignoreFile ? loadIgnoreFile(ignoreFile) : [];
  const vexArgs = opts.vex ?? [];
  const vex: VexStatement[] = vexArgs.filter((v) => !v.startsWith('repo:')).flatMap((f) => loadVex(f));
  const repos = vexArgs
    .filter((v) => v.startsWith('repo:'))
    .flatMap((v) => openVexRepositories(v.slice('repo:'.length)));
  for (const r of repos)
    if (r.dropped > 0)
      ctx.notice(`warning: VEX repository ${r.name}: ${r.dropped} malformed index entries dropped`);
  const input = await imageInput(ctx, target, opts);
  if (repos.length > 0)
    vex.push(...repositoryVex(repos, [...(input.components ?? []), ...input.packages.map((p) => p.purl)]));
  const result = await ctx.withStore(async (store) => {
    for (const w of await coverageWarnings(store.db, input)) ctx.notice(`warning: ${w}`);
    const r = await scanPackages(store.db, input, {
      ...(wanted ? { severities: wanted } : {}),
      ignoreUnfixed: opts.ignoreUnfixed === true,
      ...(classes ? { packageClasses: classes } : {}),
      ...(statuses ? { ignoreStatuses: statuses } : {}),
      ignore,
      vex,
    });
    if (opts.store !== false) await saveImageScan(store.db, input, r);
    return r;
  });
  for (const e of result.expiredExceptions)
    ctx.notice(`warning: ${ignoreFile}: exception ${e.id} expired on ${e.expires} and no longer suppresses`);
  if (result.artifact.os?.eol)
    ctx.notice(
      `warning: ${result.artifact.os.family} ${result.artifact.os.version} is end of life (${result.artifact.os.endOfLife}): it gets no security fixes`,
    );
  ctx.emit(scanReport(result, input.packages));
  if (gate !== undefined && gate !== 0 && !result.healthy) process.exitCode = gate;
  // an end-of-life OS gets no fixes at all: its own gate, checked after the findings' (as Trivy orders them)
  if (eolGate !== undefined && eolGate !== 0 && result.artifact.os?.eol) process.exitCode = eolGate;
}

export const imageCommands: CommandModule = {
  name: 'image',
  register(program, context) {
    const image = program.command('image').description('image vulnerability scanning');
    const scanCommand = image
      .command('scan')
      .description('match the packages of an image (or an SBOM: sbom:PATH) against the advisory database')
      .argument(
        '<target>',
        'image: TRANSPORT:REF, a registry reference, a path (sniffed), or sbom:PATH (CycloneDX/SPDX)',
      )
      .option('--severity <list>', 'report only these severities, e.g. HIGH,CRITICAL')
      .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
      .option(
        '--ignore-status <list>',
        'leave out findings with these statuses (affected, will_not_fix, fix_deferred, end_of_life, fixed)',
      )
      .option(
        '--pkg-types <list>',
        'report only these package classes: os (deb, apk, rpm), library (the rest)',
      )
      .option(
        '--exit-code <n>',
        'exit with this code when vulnerabilities remain after filters and exceptions',
      )
      .option('--exit-on-eol <n>', 'exit with this code when the image OS is end of life')
      .option(
        '--ignore-file <file>',
        `exceptions (YAML: ignore: [{id, reason, expires?, package?, purl?, path?}]; default ${DEFAULT_IGNORE_FILE} when present)`,
      )
      .option(
        '--vex <file...>',
        'OpenVEX or CycloneDX VEX documents, or repo:DIR (a local VEX repository): not_affected / fixed statements suppress',
      )
      .option('--no-store', 'do not record the scan in the store');
    withImageSourceOptions(scanCommand).action(async (target: string, opts: ScanFlags, cmd: Command) =>
      scan(context(cmd), target, opts),
    );
  },
};
