import type { Command } from 'commander';
import { UserInputError } from '../../core/errors.js';
import { parseSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import { STANDARDS, type StandardSelection } from '../../hardening/kubernetes/controls/types.js';
import type { LoadError } from '../../hardening/kubernetes/objects/types.js';
import type { Policy } from '../../hardening/kubernetes/parameters/policy-file.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { type PushFlags, pushDocuments, pushTargetOf, withPushOptions } from '../push.js';

interface ScanOptions extends PushFlags {
  summary?: boolean;
  clusterName?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  standard?: string;
  pssVersion?: string;
  policy?: string;
  constraints?: string;
  kyverno?: string[];
  includePassed?: boolean;
  exitCode?: boolean;
  severityThreshold?: string;
  complianceThreshold?: string;
  includeNamespaces?: string;
  excludeNamespaces?: string;
  store?: boolean;
}

const names = (list: string | undefined) =>
  (list ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

function parseStandard(value: string | undefined): StandardSelection {
  // security first: reliability and hygiene controls (best-practices) run only when asked for
  const s = value ?? 'security';
  if (s === 'all' || s === 'security' || (STANDARDS as readonly string[]).includes(s))
    return s as StandardSelection;
  throw new UserInputError(
    '--standard',
    `"${s}" is not one of ${[...STANDARDS, 'security', 'all'].join(', ')}`,
  );
}

function parseThreshold(value: string | undefined): Severity {
  if (value === undefined) return 'LOW';
  const s = parseSeverity(value);
  if (!(SEVERITIES as readonly string[]).includes(value.toUpperCase()))
    throw new UserInputError('--severity-threshold', `"${value}" is not one of ${SEVERITIES.join(', ')}`);
  return s;
}

function parseCompliance(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new UserInputError('--compliance-threshold', `"${value}" is not a percentage from 0 to 100`);
  return n;
}

async function scan(paths: string[], opts: ScanOptions, ctx: CliContext): Promise<void> {
  const [{ readPolicyFile }, { parsePssVersion }, { scanKubernetes }] = await Promise.all([
    import('../../hardening/kubernetes/parameters/policy-file.js'),
    import('../../hardening/kubernetes/pss/version.js'),
    import('../../hardening/kubernetes/scan-kubernetes.js'),
  ]);
  const policy: Policy | undefined = opts.policy ? readPolicyFile(opts.policy) : undefined;
  const standard = parseStandard(opts.standard ?? policy?.standard);
  const pssVersion = parsePssVersion(opts.pssVersion ?? policy?.pssVersion);
  const threshold = parseThreshold(opts.severityThreshold);
  const minimumCompliance = parseCompliance(opts.complianceThreshold);
  if (!opts.cluster && paths.length === 0)
    throw new UserInputError('k8s scan', 'give manifest paths, - for stdin, or --cluster');
  const push = pushTargetOf(opts);
  if (push && !opts.cluster && !opts.clusterName)
    throw new UserInputError('--cluster-name', 'give the cluster these manifests belong to, to --push them');
  const options = {
    paths,
    ...(opts.cluster ? { cluster: true } : {}),
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    includeNamespaces: names(opts.includeNamespaces),
    excludeNamespaces: names(opts.excludeNamespaces),
    ...(opts.clusterName ? { clusterName: opts.clusterName } : {}),
    ...(policy ? { policy } : {}),
    standard,
    pssVersion,
    ...(opts.constraints ? { constraints: opts.constraints } : {}),
    ...(opts.kyverno?.length ? { kyverno: opts.kyverno } : {}),
    includePassed: opts.includePassed === true,
    exitOnFailure: opts.exitCode === true,
    severityThreshold: threshold,
    ...(minimumCompliance !== undefined ? { complianceThreshold: minimumCompliance } : {}),
    // only a document for a center lists the passes --include-passed leaves out: else they are counted, not kept
    countPasses: !push,
  };
  const outcome =
    opts.store !== false
      ? await ctx.withStore((store) => scanKubernetes(options, store))
      : await scanKubernetes(options);
  for (const e of outcome.errors) ctx.notice(loadWarning(e));
  ctx.emit(outcome.report, { summaryOnly: opts.summary === true });
  if (push) await pushDocuments(ctx, push, [outcome.inventory, outcome.centerDocument]);
  ctx.exit(outcome.gate.exitCode);
}

/** One line for a document that could not be assessed. */
export function loadWarning(e: LoadError): string {
  return `warning: ${e.file}${e.docIndex !== undefined ? ` document ${e.docIndex}` : ''}: ${e.reason}`;
}

export const k8sCommands: CommandModule = {
  name: 'k8s',
  register(program, context) {
    const k8s = program
      .command('k8s')
      .description('Kubernetes posture: manifests, AdmissionReview bodies and live clusters');
    const scanCommand = k8s
      .command('scan')
      .description(
        'assess Kubernetes objects against the control catalogue (formats: table, json, sarif, junit)',
      )
      .argument(
        '[paths...]',
        'files or directories of YAML/JSON manifests (multi-document, Lists, Helm output); - for stdin',
      )
      .option('--cluster', 'read the objects of a live cluster (read-only, paged lists)')
      .option(
        '--kubeconfig <file>',
        'kubeconfig to use with --cluster (default: $KUBECONFIG or ~/.kube/config)',
      )
      .option('--context <name>', 'kubeconfig context to use with --cluster')
      .option(
        '--standard <name>',
        `controls to run: ${[...STANDARDS, 'security', 'all'].join(', ')} (default security: PSS, CIS and NSA; best-practices are reliability and hygiene; all is both)`,
        undefined,
      )
      .option('--pss-version <version>', 'Pod Security Standards version: latest or v1.N', undefined)
      .option(
        '--policy <file>',
        'policy file: parameters, exceptions, disabled controls, custom checks (docs/kubernetes.md)',
      )
      .option(
        '--constraints <dir>',
        'Gatekeeper constraints and ConstraintTemplates: CEL template bodies run as written, library kinds natively',
      )
      .option(
        '--kyverno <path>',
        'Kyverno ClusterPolicy/Policy file or directory whose validate rules to apply (repeatable)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option(
        '--compliance-threshold <percent>',
        'exit 1 when fewer than this percentage of the assessed results pass (summary.compliance)',
      )
      .option(
        '--include-namespaces <list>',
        'assess only objects of these namespaces (comma-separated globs)',
      )
      .option('--exclude-namespaces <list>', 'leave out objects of these namespaces (comma-separated globs)')
      .option('--summary', 'table: only the summary per control (no detail rows)')
      .option('--include-passed', 'also list passing results')
      .option('--exit-code', 'exit 1 when an unsuppressed failure at or above --severity-threshold remains')
      .option('--severity-threshold <severity>', 'lowest severity that trips --exit-code (default LOW)')
      .option(
        '--cluster-name <name>',
        'name of the cluster in the documents (origin.cluster; default with --cluster: the kube-system namespace UID)',
      )
      .option('--no-store', 'do not save the results in the store');
    withPushOptions(scanCommand).action(async (paths: string[], opts: ScanOptions, cmd: Command) =>
      scan(paths, opts, context(cmd)),
    );
  },
};
