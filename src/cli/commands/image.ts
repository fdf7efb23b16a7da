import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { errorMessage, UserInputError } from '../../core/errors.js';
import { VULNERABILITY_STATUSES } from '../../core/results.js';
import { compareSeverity, parseSeverityList, type Severity } from '../../core/severity.js';
import type { FindingOrder, PackageClass } from '../../scan/scan.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { catalogOptionsOf, type ImageSourceFlags, withImageSourceOptions } from '../image-source-options.js';
import { waitForImports } from '../import-marker.js';
import { createProgress } from '../progress.js';
import { type PushFlags, pushDocuments, pushTargetOf, withPushOptions } from '../push.js';

interface ScanFlags extends ImageSourceFlags, PushFlags {
  severity?: string;
  pkgTypes?: string;
  ignoreStatus?: string;
  exitOnEol?: string;
  ignoreUnfixed?: boolean;
  exitCode?: string;
  ignoreFile?: string;
  vex?: string[];
  store?: boolean;
  allowUncovered?: boolean;
  maxDbAge?: string;
  sort?: string;
  kev?: boolean;
  epssThreshold?: string;
  vulnSeveritySource?: string;
  scanners?: string;
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
/** `--sort` words. */
const ORDERS = ['severity', 'risk'] as const satisfies readonly FindingOrder[];

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

/** `--epss-threshold N`: a probability from 0 to 1. */
function epssThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UserInputError('--epss-threshold', `"${value}" is not an EPSS score from 0 to 1 (e.g. 0.1)`);
  return n;
}

/** `--max-db-age DAYS` (else $BULKHEAD_MAX_DB_AGE): a whole number of days. */
function maxAgeDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UserInputError('--max-db-age', `"${value}" is not a number of days`);
  return n;
}

async function scan(ctx: CliContext, target: string, opts: ScanFlags): Promise<void> {
  const now = ctx.now();
  const maxDbAgeDays = maxAgeDays(opts.maxDbAge);
  const wanted = severities(opts.severity);
  const classes = wordsOf('--pkg-types', opts.pkgTypes, PACKAGE_CLASSES);
  const statuses = wordsOf('--ignore-status', opts.ignoreStatus, VULNERABILITY_STATUSES);
  const gate = exitCode(opts.exitCode);
  const eolGate = exitCode(opts.exitOnEol, '--exit-on-eol');
  const orders = wordsOf('--sort', opts.sort, ORDERS) ?? [];
  if (orders.length > 1) throw new UserInputError('--sort', `"${opts.sort}": give one order`);
  const sort = orders[0];
  const epss = epssThreshold(opts.epssThreshold);
  const gateOn = {
    ...(opts.kev ? { kev: true } : {}),
    ...(epss !== undefined ? { epssThreshold: epss } : {}),
  };
  if (gate === undefined && (opts.kev || epss !== undefined))
    throw new UserInputError(
      opts.kev ? '--kev' : '--epss-threshold',
      'gates --exit-code: give --exit-code too',
    );
  const { loadSeveritySources } = await import('../../center/config.js');
  // the flag, else BULKHEAD_VULN_SEVERITY_SOURCE, else vulnSeveritySource in <home>/config.yaml, else auto
  const vulnSeveritySource = loadSeveritySources({ home: ctx.globals.home, flag: opts.vulnSeveritySource });
  const { loadScanners, loadLicensePolicy } = await import('../../center/config.js');
  // the flag, else BULKHEAD_SCANNERS, else scanners in <home>/config.yaml, else vuln
  const scanners = loadScanners({ home: ctx.globals.home, flag: opts.scanners });
  const licensePolicy = scanners.includes('license')
    ? loadLicensePolicy({ home: ctx.globals.home })
    : undefined;
  const push = pushTargetOf(opts);
  if (push && !scanners.includes('vuln'))
    throw new UserInputError('--push', 'the center files vulnerability scans: add vuln to --scanners');
  const ignoreFile = opts.ignoreFile ?? (existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  const catalog = await catalogOptionsOf(opts, ctx.globals.home);
  const { scanImage, gateFails, uncoveredFails } = await import('../../scan/scan-image.js');
  const progress = createProgress(ctx, 'layers');
  let outcome: Awaited<ReturnType<typeof scanImage>>;
  try {
    outcome = await ctx.withStore(async (store) => {
      // a `db import` running beside an empty database: its advisories are waited for, not missed
      const { hasAdvisoryData } = await import('../../scan/coverage.js');
      if (scanners.includes('vuln'))
        await waitForImports(
          ctx.globals.home,
          () => hasAdvisoryData(store.db),
          (m) => ctx.notice(m),
        );
      return scanImage(
        store,
        {
          target,
          scanners,
          ...(licensePolicy ? { licensePolicy } : {}),
          catalog,
          ...(wanted ? { severities: wanted } : {}),
          ignoreUnfixed: opts.ignoreUnfixed === true,
          ...(classes ? { packageClasses: classes } : {}),
          ...(statuses ? { ignoreStatuses: statuses } : {}),
          ...(ignoreFile ? { ignoreFile } : {}),
          ...(opts.vex ? { vex: opts.vex } : {}),
          store: opts.store !== false,
          ...(gate !== undefined ? { exitCode: gate, gateOn } : {}),
          ...(sort ? { sort } : {}),
          ...(vulnSeveritySource ? { severitySources: vulnSeveritySource } : {}),
          ...(eolGate !== undefined ? { eolExitCode: eolGate } : {}),
          allowUncovered: opts.allowUncovered === true,
          ...(maxDbAgeDays !== undefined ? { maxDbAgeDays } : {}),
          now,
        },
        {
          notice: (m) => ctx.notice(m),
          warning: (m) => ctx.warn(m),
          layer: (i, total) => {
            progress.total(total);
            progress.label(`layer ${i + 1}/${total}`);
            if (i > 0) progress.advance();
          },
        },
      );
    });
  } finally {
    progress.stop();
  }
  ctx.emit(outcome.report);
  if (!push) return ctx.exit(outcome.gate.exitCode);
  await pushDocuments(ctx, push, [outcome.document]);
  // with a center, its exceptions apply to the findings' gate too: a pass from it clears what remained here
  let findingsGate =
    gate !== undefined && gate !== 0 && gateFails(outcome.result, opts.allowUncovered === true, gateOn);
  // secrets and denied licences are not the center's to waive: they trip the gate whatever its verdict
  const beyondFindings = gate !== undefined && gate !== 0 && outcome.gate.secretsOrLicenses;
  const digest = outcome.input.manifestDigest ?? outcome.input.digest;
  if (findingsGate && digest) {
    const severity = wanted ? [...wanted].sort(compareSeverity).at(-1)! : 'UNKNOWN';
    const { fetchVerdict } = await import('../push.js');
    const verdict = await fetchVerdict(push, digest, severity);
    if (verdict.verdict === 'pass') {
      // the center's exceptions cover findings; a namespace left unassessed still counts unless allowed
      const coverage = (outcome.document as { coverage?: { covered: boolean }[] }).coverage;
      findingsGate = uncoveredFails(coverage, opts.allowUncovered === true);
      ctx.notice(
        `${push.url}: the center's exceptions cover the remaining findings (verdict pass at ${severity})`,
      );
    }
  }
  const eolGateTripped = eolGate !== undefined && eolGate !== 0 && outcome.result.artifact.os?.eol === true;
  ctx.exit(eolGateTripped ? eolGate : findingsGate || beyondFindings ? gate! : 0);
}

export const imageCommands: CommandModule = {
  name: 'image',
  register(program, context) {
    const image = program.command('image').description('image vulnerability, secret and licence scanning');
    const scanCommand = image
      .command('scan')
      .description(
        'match the packages of an image (or an SBOM: sbom:PATH) against the advisory database; with --scanners, also find secrets in its layers and classify its licences',
      )
      .argument(
        '<target>',
        'image: TRANSPORT:REF, a registry reference, a path (sniffed), or sbom:PATH (CycloneDX/SPDX)',
      )
      .option(
        '--scanners <list>',
        'what to look for: vuln, secret (credentials in the layers, shown masked), license (package licences under licensePolicy); default vuln (config scanners)',
      )
      .option(
        '--severity <list>',
        'report only these severities (vulnerabilities and secrets), e.g. HIGH,CRITICAL',
      )
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
        'exit with this code when vulnerabilities remain after filters and exceptions, or secrets or denied licences are found',
      )
      .option(
        '--kev',
        "with --exit-code: trip only on findings in CISA's Known Exploited Vulnerabilities catalog (or --epss-threshold)",
      )
      .option(
        '--epss-threshold <score>',
        'with --exit-code: trip only on findings whose EPSS score is at least this (0-1; or --kev)',
      )
      .option(
        '--sort <order>',
        'order of the findings: severity (default) or risk (KEV, EPSS, severity, fix)',
      )
      .option(
        '--vuln-severity-source <list>',
        'whose severity each finding takes, in order, e.g. ubuntu,nvd,ghsa (default auto: the vendor first; config vulnSeveritySource)',
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
      .option(
        '--allow-uncovered',
        'with --exit-code: a scan that could not assess a namespace (no advisory data for it) does not fail',
      )
      .addOption(
        new Option('--max-db-age <days>', 'warn when the newest advisory data is older than this')
          .env('BULKHEAD_MAX_DB_AGE')
          .default(undefined, '7'),
      )
      .option('--no-store', 'do not record the scan in the store');
    withPushOptions(withImageSourceOptions(scanCommand)).action(
      async (target: string, opts: ScanFlags, cmd: Command) => scan(context(cmd), target, opts),
    );
  },
};
