import type { Command } from 'commander';
import type { AdmissionPolicy, NamespaceSource, VulnerabilityIndex } from '../../admission/index.js';
import type { FailurePolicy } from '../../admission/server.js';
import type { Store } from '../../store/index.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { type PushFlags, pushDocuments, pushTargetOf, withPushOptions } from '../push.js';
import { untilStopped } from '../until-stopped.js';

interface PolicyOptions {
  policy?: string;
  withDefaults?: boolean;
  mode?: string;
  exemptNamespace?: string[];
}

interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
}

interface ReviewOptions extends PolicyOptions, ClusterOptions {
  exitCode?: boolean;
}

interface ServeOptions extends PolicyOptions, ClusterOptions {
  namespaceRefresh?: string;
  port?: string;
  address?: string;
  tlsCert?: string;
  tlsKey?: string;
  bodyLimit?: string;
  timeout?: string;
  failurePolicy?: string;
  duration?: string;
  store?: boolean;
}

interface ManifestOptions extends PolicyOptions {
  namespace?: string;
  name?: string;
  image?: string;
  failurePolicy?: string;
}

interface AuditOptions extends PolicyOptions, PushFlags {
  summary?: boolean;
  clusterName?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  includePassed?: boolean;
  exitCode?: boolean;
  store?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

async function policyFrom(opts: PolicyOptions, ctx: CliContext): Promise<AdmissionPolicy> {
  const { loadAdmissionPolicy, parseMode } = await import('../../admission/index.js');
  const mode = parseMode(opts.mode);
  const policy = loadAdmissionPolicy(opts.policy, {
    ...(mode ? { mode } : {}),
    ...(opts.withDefaults ? { withDefaults: true } : {}),
    ...(opts.exemptNamespace ? { exemptNamespaces: opts.exemptNamespace } : {}),
  });
  // a file that picks its own controls drops the default bundle: say so, a user may expect both to apply
  if (policy.replacesDefaults)
    ctx.warn(
      `warning: ${opts.policy} replaces the default bundle (PSS baseline + critical controls); add --with-defaults to keep it`,
    );
  // Constraints of kinds Bulkhead implements neither natively nor through a template's CEL, and Kyverno rules
  // with an unsupported feature: say so, never pass silently.
  if (policy.unevaluated.length)
    ctx.warn(`warning: ${opts.policy}: not evaluated: ${policy.unevaluated.join(', ')}`);
  return policy;
}

/** Where the Namespaces come from: --kubeconfig/--context, --in-cluster, or nowhere (no namespace labels). */
async function namespaceSource(opts: ClusterOptions): Promise<NamespaceSource | undefined> {
  if (opts.inCluster && (opts.kubeconfig || opts.context)) {
    const { UserInputError } = await import('../../core/errors.js');
    throw new UserInputError('--in-cluster', 'give either --in-cluster or --kubeconfig/--context, not both');
  }
  if (opts.inCluster) return { inCluster: true };
  if (!opts.kubeconfig && !opts.context) return undefined;
  return {
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
  };
}

/** The stored image scans, when the policy has a vulnerability gate. */
async function vulnerabilityIndexOf(store: Store): Promise<VulnerabilityIndex> {
  const { storedVulnerabilityIndex } = await import('../../admission/vulnerabilities.js');
  return storedVulnerabilityIndex(store.db);
}

async function failurePolicyOf(value: string | undefined): Promise<FailurePolicy> {
  const { UserInputError } = await import('../../core/errors.js');
  const { FAILURE_POLICIES } = await import('../../admission/server.js');
  const v = value ?? 'Ignore';
  if ((FAILURE_POLICIES as readonly string[]).includes(v)) return v as FailurePolicy;
  throw new UserInputError('--failure-policy', `"${v}" is not one of ${FAILURE_POLICIES.join(', ')}`);
}

async function review(file: string | undefined, opts: ReviewOptions, ctx: CliContext): Promise<void> {
  const { readInputFile } = await import('../../core/input-file.js');
  const { UserInputError } = await import('../../core/errors.js');
  const { decide, parseReview, ReviewError } = await import('../../admission/index.js');
  const { reviewReport } = await import('../../admission/report.js');
  const policy = await policyFrom(opts, ctx);
  const name = file ?? '-';
  let body: Buffer;
  try {
    body = readInputFile(name, { stdin: true, maxBytes: 16 << 20, what: 'an AdmissionReview' });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(name, 'cannot read the AdmissionReview');
  }
  let parsed: ReturnType<typeof parseReview>;
  try {
    parsed = parseReview(body);
  } catch (error) {
    if (error instanceof ReviewError) throw new UserInputError(name, error.message);
    throw error;
  }
  const vulnerabilities = policy.vulnerabilities ? await ctx.withStore(vulnerabilityIndexOf) : undefined;
  const source = await namespaceSource(opts);
  let namespaceObject: import('../../hardening/kubernetes/index.js').KubeObject | undefined;
  if (source && parsed.namespace && parsed.kind !== 'v1/Namespace') {
    const { NamespaceCache } = await import('../../admission/index.js');
    const cache = new NamespaceCache({ source });
    await cache.refresh();
    namespaceObject = cache.lookup(parsed.namespace);
    if (!namespaceObject)
      ctx.notice(`warning: namespace ${parsed.namespace} not found: decided without namespace labels`);
  }
  const decision = decide(parsed, policy, {
    ...(vulnerabilities ? { vulnerabilities } : {}),
    ...(namespaceObject ? { namespaceObject } : {}),
  });
  ctx.emit(reviewReport(decision));
  if (opts.exitCode && !decision.allowed) ctx.exit(1);
}

async function integer(
  option: string,
  value: string | undefined,
  fallback: number,
  min = 1,
): Promise<number> {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  const { UserInputError } = await import('../../core/errors.js');
  throw new UserInputError(option, `"${value}" is not an integer of at least ${min}`);
}

async function serve(opts: ServeOptions, ctx: CliContext): Promise<void> {
  const { UserInputError } = await import('../../core/errors.js');
  const { DEFAULT_BODY_LIMIT, DEFAULT_NAMESPACE_REFRESH_SECONDS, policyNeedsNamespaces } = await import(
    '../../admission/index.js'
  );
  const { DEFAULT_TIMEOUT_MS } = await import('../../admission/server.js');
  const { bootAdmission } = await import('../../admission/boot.js');
  const { decisionLogLine, mutationLogLine } = await import('../../admission/recorder.js');
  const { tlsFiles } = await import('../../net/tls-profile.js');
  const tls = tlsFiles(opts.tlsCert, opts.tlsKey);
  if (!tls)
    throw new UserInputError(
      'admission serve',
      'give --tls-cert and --tls-key (the API server only calls HTTPS)',
    );
  const port = await integer('--port', opts.port, 8443, 0);
  if (port > 65535) throw new UserInputError('--port', `"${opts.port}" is not a port number`);
  const bodyLimit = await integer('--body-limit', opts.bodyLimit, DEFAULT_BODY_LIMIT);
  const timeoutMs = await integer('--timeout', opts.timeout, DEFAULT_TIMEOUT_MS);
  const duration = await integer('--duration', opts.duration, 0, 0);
  const failurePolicy = await failurePolicyOf(opts.failurePolicy);
  const namespaceRefresh = await integer(
    '--namespace-refresh',
    opts.namespaceRefresh,
    DEFAULT_NAMESPACE_REFRESH_SECONDS,
  );
  const policy = await policyFrom(opts, ctx);
  const source = await namespaceSource(opts);
  if (!source && policyNeedsNamespaces(policy))
    ctx.notice(
      'warning: the policy selects by namespace labels: without --kubeconfig or --in-cluster, namespaced requests are decided without them',
    );
  const store = opts.store === false ? undefined : await ctx.openStore();
  try {
    const service = await bootAdmission(
      {
        policy,
        port,
        address: opts.address ?? '127.0.0.1',
        tlsCert: tls.cert,
        tlsKey: tls.key,
        bodyLimit,
        timeoutMs,
        failurePolicy,
        ...(source ? { namespaceSource: source, namespaceRefreshSeconds: namespaceRefresh } : {}),
        ...(store ? { store } : {}),
      },
      {
        // One JSON line per decision (the request's object is never logged).
        decision: (d, ms) => process.stdout.write(decisionLogLine(d, ms)),
        mutation: (m, ms) => process.stdout.write(mutationLogLine(m, ms)),
        notice: (m) => ctx.notice(m),
      },
    );
    ctx.notice(
      `bulkhead admission serve: ready on ${service.url} (mode ${policy.mode}${service.namespaces !== undefined ? `, ${service.namespaces} namespaces cached` : ''})`,
    );
    await untilStopped(duration);
    await service.close();
  } finally {
    await store?.close();
  }
}

async function manifests(opts: ManifestOptions, ctx: CliContext): Promise<void> {
  const { readInputText } = await import('../../core/input-file.js');
  const { writeOutputFile } = await import('../../core/output-file.js');
  const { webhookCertificates } = await import('../../tls/certificates.js');
  const { BULKHEAD_NAMESPACE } = await import('../../admission/index.js');
  const { manifestsYaml, serviceDnsNames, webhookManifests } = await import('../../admission/manifests.js');
  const { TOOL } = await import('../../core/version.js');
  const policy = await policyFrom(opts, ctx);
  const namespace = opts.namespace ?? BULKHEAD_NAMESPACE;
  const name = opts.name ?? 'bulkhead-admission';
  const yaml = manifestsYaml(
    webhookManifests({
      policy,
      certificates: webhookCertificates(serviceDnsNames(name, namespace)),
      namespace,
      name,
      image: opts.image ?? `ghcr.io/bulkhead/bulkhead:${TOOL.version}`,
      failurePolicy: await failurePolicyOf(opts.failurePolicy),
      ...(opts.policy ? { policyText: readInputText(opts.policy, { what: 'a policy file' }) } : {}),
      ...(opts.mode ? { mode: policy.mode } : {}),
    }),
  );
  // the manifests carry the webhook's private key: 0600 whatever file was there before
  if (ctx.globals.output) writeOutputFile(ctx.globals.output, yaml, { mode: 0o600 });
  else process.stdout.write(yaml);
}

async function audit(paths: string[], opts: AuditOptions, ctx: CliContext): Promise<void> {
  const { UserInputError } = await import('../../core/errors.js');
  const { auditAdmission } = await import('../../admission/run-audit.js');
  const policy = await policyFrom(opts, ctx);
  if (!opts.cluster && paths.length === 0)
    throw new UserInputError('admission audit', 'give manifest paths, - for stdin, or --cluster');
  const push = pushTargetOf(opts);
  if (push && !opts.cluster && !opts.clusterName)
    throw new UserInputError('--cluster-name', 'give the cluster these manifests belong to, to --push them');
  const options = {
    policy,
    paths,
    ...(opts.cluster ? { cluster: true } : {}),
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    ...(opts.clusterName ? { clusterName: opts.clusterName } : {}),
    includePassed: opts.includePassed === true,
    exitOnViolation: opts.exitCode === true,
  };
  const outcome =
    opts.store === false
      ? await auditAdmission(options)
      : await ctx.withStore((store) => auditAdmission(options, store));
  for (const e of outcome.errors)
    ctx.notice(`warning: ${e.file}${e.docIndex !== undefined ? ` document ${e.docIndex}` : ''}: ${e.reason}`);
  ctx.emit(outcome.report, { summaryOnly: opts.summary === true });
  if (push) await pushDocuments(ctx, push, [outcome.centerDocument]);
  ctx.exit(outcome.gate.exitCode);
}

const policyOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--policy <file>',
      'AdmissionPolicy, KubernetesPolicy, Gatekeeper constraints, ValidatingAdmissionPolicies (default: PSS baseline + Critical controls)',
    )
    .option(
      '--with-defaults',
      'with --policy: keep the default bundle (PSS baseline + critical controls) beside the controls the file chooses',
    )
    .option('--mode <mode>', 'audit|warn|enforce: the ceiling on every action (default enforce)')
    .option(
      '--exempt-namespace <glob>',
      'namespace whose requests are not evaluated; repeatable (default kube-system, bulkhead-system)',
      collect,
    );

export const admissionCommands: CommandModule = {
  name: 'admission',
  register(program, context) {
    const admission = program
      .command('admission')
      .description('admission control: the posture controls as a validating webhook (audit, warn, enforce)');
    policyOptions(
      admission
        .command('review')
        .description('decide one AdmissionReview offline and print the response (formats: table, json)')
        .argument('[file]', 'AdmissionReview request (JSON); - or nothing for stdin'),
    )
      .option('--exit-code', 'exit 1 when the request is denied')
      .option('--kubeconfig <file>', "kubeconfig of the cluster whose Namespaces' labels the policy reads")
      .option('--context <name>', 'kubeconfig context to use')
      .option('--in-cluster', "read Namespaces with the pod's service account")
      .action(async (file: string | undefined, opts: ReviewOptions, cmd: Command) =>
        review(file, opts, context(cmd)),
      );
    policyOptions(
      admission
        .command('serve')
        .description('serve the validating webhook over HTTPS: /validate, /healthz, /readyz, /metrics'),
    )
      .option('--port <port>', 'HTTPS port (default 8443; 0 = any free port)')
      .option('--address <address>', 'listen address (default 127.0.0.1)')
      .option('--tls-cert <file>', 'PEM certificate (chain) of the webhook; reloaded when it changes')
      .option('--tls-key <file>', 'PEM private key of the webhook; reloaded when it changes')
      .option('--body-limit <bytes>', 'largest request body accepted (default 3145728)')
      .option(
        '--timeout <ms>',
        "time allowed to receive a request, below the webhook's timeoutSeconds (default 2500)",
      )
      .option(
        '--failure-policy <policy>',
        'Ignore|Fail: the answer when a check itself fails (default Ignore)',
      )
      .option('--no-store', 'do not record decisions in the store')
      .option(
        '--kubeconfig <file>',
        'kubeconfig of the cluster: cache its Namespaces for namespaceSelector and namespaceObject',
      )
      .option('--context <name>', 'kubeconfig context to use')
      .option(
        '--in-cluster',
        "cache the cluster's Namespaces with the pod's service account (token and CA at the standard paths)",
      )
      .option(
        '--namespace-refresh <seconds>',
        'seconds between two complete lists of the Namespaces (default 30)',
      )
      .option('--duration <seconds>', 'stop after this many seconds (default: until SIGINT/SIGTERM)')
      .action(async (opts: ServeOptions, cmd: Command) => serve(opts, context(cmd)));
    policyOptions(
      admission
        .command('manifests')
        .description(
          'print the objects that install the webhook (webhook configuration, Deployment, Service, PDB, certificate Secret)',
        ),
    )
      .option('--namespace <name>', 'namespace to install into (default bulkhead-system)')
      .option('--name <name>', 'name of the webhook objects (default bulkhead-admission)')
      .option('--image <image>', 'Bulkhead image the Deployment runs')
      .option('--failure-policy <policy>', 'Ignore|Fail (default Ignore)')
      .action(async (opts: ManifestOptions, cmd: Command) => manifests(opts, context(cmd)));
    const auditCommand = policyOptions(
      admission
        .command('audit')
        .description(
          'apply the admission policy to existing objects and report every violation (formats: table, json, sarif, junit)',
        )
        .argument('[paths...]', 'files or directories of manifests; - for stdin'),
    )
      .option('--cluster', 'read the objects of a live cluster (read-only)')
      .option('--kubeconfig <file>', 'kubeconfig to use with --cluster')
      .option('--context <name>', 'kubeconfig context to use with --cluster')
      .option('--summary', 'table: only the summary per control (no detail rows)')
      .option('--include-passed', 'list passing results too')
      .option('--exit-code', 'exit 1 when any violation is found')
      .option(
        '--cluster-name <name>',
        'name of the cluster in the document (origin.cluster; default with --cluster: the kube-system namespace UID)',
      )
      .option('--no-store', 'do not record the results in the store');
    withPushOptions(auditCommand).action(async (paths: string[], opts: AuditOptions, cmd: Command) =>
      audit(paths, opts, context(cmd)),
    );
  },
};
