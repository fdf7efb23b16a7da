import type { Command } from 'commander';
import { UserInputError } from '../../core/errors.js';
import { parseSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import { STANDARDS, type StandardSelection } from '../../hardening/kubernetes/controls/types.js';
import type { LoadError, LoadedObject } from '../../hardening/kubernetes/objects/types.js';
import type { Policy } from '../../hardening/kubernetes/parameters/policy-file.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

interface ScanOptions {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  standard?: string;
  pssVersion?: string;
  policy?: string;
  constraints?: string;
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
  const s = value ?? 'all';
  if (s === 'all' || (STANDARDS as readonly string[]).includes(s)) return s as StandardSelection;
  throw new UserInputError('--standard', `"${s}" is not one of ${[...STANDARDS, 'all'].join(', ')}`);
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
  const [{ readPolicyFile }, { parametersSchema }, { formatVersion, parsePssVersion }] = await Promise.all([
    import('../../hardening/kubernetes/parameters/policy-file.js'),
    import('../../hardening/kubernetes/parameters/schema.js'),
    import('../../hardening/kubernetes/pss/version.js'),
  ]);
  const [{ readInputs }, { loadObjects }, { readConstraintDir }, { evaluateWithConstraints }, report] =
    await Promise.all([
      import('../../hardening/kubernetes/objects/files.js'),
      import('../../hardening/kubernetes/objects/load.js'),
      import('../../hardening/kubernetes/gatekeeper/constraints.js'),
      import('../../hardening/kubernetes/gatekeeper/evaluate.js'),
      import('../../hardening/kubernetes/report.js'),
    ]);
  const { namespaceFilter } = await import('../../hardening/kubernetes/objects/namespace-filter.js');
  const policy: Policy = opts.policy
    ? readPolicyFile(opts.policy)
    : { parameters: parametersSchema.parse({}), exceptions: [], disabledControls: [] };
  const standard = parseStandard(opts.standard ?? policy.standard);
  const pssVersion = parsePssVersion(opts.pssVersion ?? policy.pssVersion);
  const threshold = parseThreshold(opts.severityThreshold);
  const minimumCompliance = parseCompliance(opts.complianceThreshold);
  if (!opts.cluster && paths.length === 0)
    throw new UserInputError('k8s scan', 'give manifest paths, - for stdin, or --cluster');

  let objects: LoadedObject[] = [];
  let context: LoadedObject[] = [];
  const errors: LoadError[] = [];
  let clusterName: string | undefined;
  if (paths.length) {
    const loaded = loadObjects(readInputs(paths));
    objects = loaded.objects;
    errors.push(...loaded.errors);
  }
  if (opts.cluster) {
    const { listClusterObjects } = await import('../../hardening/kubernetes/live/cluster.js');
    const live = await listClusterObjects({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
    });
    objects.push(...live.objects);
    context = live.context;
    errors.push(...live.errors);
    clusterName = live.cluster.name;
  }
  for (const e of errors)
    ctx.notice(`warning: ${e.file}${e.docIndex !== undefined ? ` document ${e.docIndex}` : ''}: ${e.reason}`);
  // objects outside the namespaces asked for are not assessed, but stay visible as context (policies, bindings)
  const inScope = namespaceFilter(names(opts.includeNamespaces), names(opts.excludeNamespaces));
  if (inScope) {
    context = [...context, ...objects.filter((o) => !inScope(o))];
    objects = objects.filter(inScope);
  }

  const constraints = opts.constraints ? readConstraintDir(opts.constraints) : undefined;
  const disabled = new Set(policy.disabledControls);
  const evaluation = evaluateWithConstraints(objects, {
    standard,
    pssVersion,
    parameters: policy.parameters,
    exceptions: policy.exceptions,
    context,
    ...(constraints ? { constraints: constraints.constraints } : {}),
  });
  evaluation.results = evaluation.results.filter((r) => !disabled.has(r.control));

  if (opts.store !== false) {
    const { saveControlScan } = await import('../../store/index.js');
    await ctx.withStore((store) =>
      saveControlScan(
        store.db,
        'k8s',
        clusterName ?? paths.join(' '),
        evaluation.results.map(({ source: _s, ...r }) => r),
      ),
    );
  }

  ctx.emit(
    report.scanReport({
      evaluation,
      errors,
      standard,
      pssVersion: formatVersion(pssVersion),
      includePassed: opts.includePassed === true,
      notImplemented: constraints?.notImplemented ?? [],
      ...(clusterName ? { cluster: clusterName } : {}),
    }),
  );
  if (opts.exitCode && report.gateFailures(evaluation.results, threshold).length > 0) process.exitCode = 1;
  if (minimumCompliance !== undefined && report.complianceOf(evaluation.results) < minimumCompliance)
    process.exitCode = 1;
}

export const k8sCommands: CommandModule = {
  name: 'k8s',
  register(program, context) {
    const k8s = program
      .command('k8s')
      .description('Kubernetes posture: manifests, AdmissionReview bodies and live clusters');
    k8s
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
      .option('--standard <name>', `rows to run: ${[...STANDARDS, 'all'].join('|')}`, undefined)
      .option('--pss-version <version>', 'Pod Security Standards version: latest or v1.N', undefined)
      .option(
        '--policy <file>',
        'policy file: parameters, exceptions, disabled controls (docs/kubernetes.md)',
      )
      .option(
        '--constraints <dir>',
        'Gatekeeper constraints (and templates) to apply for the kinds Bulkhead implements',
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
      .option('--include-passed', 'also list passing results')
      .option('--exit-code', 'exit 1 when an unsuppressed failure at or above --severity-threshold remains')
      .option('--severity-threshold <severity>', 'lowest severity that trips --exit-code (default LOW)')
      .option('--no-store', 'do not save the results in the store')
      .action(async (paths: string[], opts: ScanOptions, cmd: Command) => scan(paths, opts, context(cmd)));
  },
};
