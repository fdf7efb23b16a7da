import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserInputError } from '../../core/errors.js';
import { parseSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { type PushFlags, pushDocuments, pushTargetOf, withPushOptions } from '../push.js';

interface DockerOptions extends PushFlags {
  summary?: boolean;
  hostName?: string;
  dockerHost?: string;
  root: string;
  level?: string;
  check?: string[];
  excludeCheck?: string[];
  excludeContainer?: string[];
  trustedUser?: string[];
  exitCode?: string;
  severity?: string;
  store: boolean;
}

function parseLevel(value: string | undefined): 1 | 2 | undefined {
  if (value === undefined) return undefined;
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new UserInputError('--level', `"${value}" is not 1 or 2`);
}

function parseSeverities(value: string | undefined): Set<Severity> {
  if (!value) return new Set(SEVERITIES);
  const out = new Set<Severity>();
  for (const word of value
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)) {
    const s = parseSeverity(word);
    if (!s || s.toLowerCase() !== word.toLowerCase())
      throw new UserInputError('--severity', `"${word}" is not one of ${SEVERITIES.join(', ')}`);
    out.add(s);
  }
  return out;
}

async function benchDocker(ctx: CliContext, opts: DockerOptions): Promise<void> {
  const level = parseLevel(opts.level);
  const severities = parseSeverities(opts.severity);
  let exitCode: number | undefined;
  if (opts.exitCode !== undefined) {
    exitCode = Number(opts.exitCode);
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
      throw new UserInputError('--exit-code', `"${opts.exitCode}" is not an integer from 0 to 255`);
  }
  const push = pushTargetOf(opts);
  if (!existsSync(opts.root) || !statSync(opts.root).isDirectory())
    throw new UserInputError('--root', `"${opts.root}" is not a directory`);
  // an empty or wrong directory would make every host file look absent (not applicable)
  if (!existsSync(join(opts.root, 'etc')))
    throw new UserInputError('--root', `"${opts.root}" has no etc/: it is not a host root file system`);
  // loaded on use, so that other commands do not pay for the benchmark's modules at start-up
  const { runDockerBenchmark } = await import('../../hardening/docker/run-benchmark.js');
  const options = {
    dockerHost: opts.dockerHost || process.env.DOCKER_HOST || 'unix:///var/run/docker.sock',
    root: opts.root,
    ...(level ? { level } : {}),
    ...(opts.check ? { checks: opts.check } : {}),
    ...(opts.excludeCheck ? { excludeChecks: opts.excludeCheck } : {}),
    excludeContainers: opts.excludeContainer ?? [],
    trustedUsers: opts.trustedUser ?? [],
    ...(opts.hostName ? { hostName: opts.hostName } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    gateSeverities: [...severities],
  };
  const outcome = opts.store
    ? await ctx.withStore((store) => runDockerBenchmark(options, store))
    : await runDockerBenchmark(options);
  ctx.emit(outcome.report, { summaryOnly: opts.summary === true });
  if (push) await pushDocuments(ctx, push, [outcome.inventory, outcome.document]);
  ctx.exit(outcome.gate.exitCode);
}

interface KubernetesOptions extends PushFlags {
  root: string;
  targets?: string[];
  benchmark?: string;
  check?: string[];
  kubeconfig?: string;
  context?: string;
  hostName?: string;
  exitCode?: string;
  severity?: string;
  store: boolean;
}

function parseExitCode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const code = Number(value);
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw new UserInputError('--exit-code', `"${value}" is not an integer from 0 to 255`);
  return code;
}

async function benchKubernetes(ctx: CliContext, opts: KubernetesOptions): Promise<void> {
  const severities = parseSeverities(opts.severity);
  const exitCode = parseExitCode(opts.exitCode);
  const push = pushTargetOf(opts);
  if (!existsSync(opts.root) || !statSync(opts.root).isDirectory())
    throw new UserInputError('--root', `"${opts.root}" is not a directory`);
  if (!existsSync(join(opts.root, 'etc')))
    throw new UserInputError('--root', `"${opts.root}" has no etc/: it is not a node root file system`);
  const { parseBenchmark, parseTargets } = await import('../../hardening/kubernetes-bench/benchmark.js');
  const benchmark = opts.benchmark === undefined ? undefined : parseBenchmark(opts.benchmark);
  const targets = parseTargets(opts.targets);
  const { runKubernetesBenchmark } = await import('../../hardening/kubernetes-bench/run-benchmark.js');
  const options = {
    root: opts.root,
    ...(benchmark ? { benchmark } : {}),
    ...(targets ? { targets } : {}),
    ...(opts.check ? { checks: opts.check } : {}),
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    ...(opts.hostName ? { hostName: opts.hostName } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    gateSeverities: [...severities],
  };
  const outcome = opts.store
    ? await ctx.withStore((store) => runKubernetesBenchmark(options, store))
    : await runKubernetesBenchmark(options);
  ctx.emit(outcome.report);
  if (push) await pushDocuments(ctx, push, [outcome.document]);
  ctx.exit(outcome.gate.exitCode);
}

export const benchCommands: CommandModule = {
  name: 'bench',
  register(program, context) {
    const bench = program.command('bench').description('security benchmarks of hosts (CIS)');
    const docker = bench
      .command('docker')
      .description(
        'run the whole CIS Docker Benchmark v1.8.0 against a Docker host (formats: table, json, junit, sarif)',
      )
      .option(
        '--docker-host <url>',
        'daemon to assess: unix:///path or tcp://host:port, TLS with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH (default: $DOCKER_HOST, else unix:///var/run/docker.sock)',
      )
      .option('--root <dir>', 'read host files, /proc and audit rules under DIR (a mounted host root)', '/')
      .option('--level <n>', 'CIS profile level: 1 (level 1 only) or 2 (both)')
      .option('--check <id...>', 'run only these controls (v1.8.0 ids or sections, e.g. 2.8 5)')
      .option('--exclude-check <id...>', 'leave out these controls or sections (after --check)')
      .option('--exclude-container <name...>', 'leave out containers by name, id prefix or name glob')
      .option(
        '--trusted-user <user...>',
        'accounts allowed in the docker group (1.1.2); root is always allowed',
      )
      .option('--exit-code <n>', 'exit with N when a control fails at one of --severity')
      .option('--severity <list>', 'severities that trigger --exit-code (comma-separated; default all)')
      .option('--host-name <name>', 'name of the host in the documents (origin.host; default its hostname)')
      .option('--summary', 'table: only the summary per CIS section (no detail rows)')
      .option('--no-store', 'do not save the results in the store');
    withPushOptions(docker).action(async (opts: DockerOptions, cmd: Command) =>
      benchDocker(context(cmd), opts),
    );
    const kubernetes = bench
      .command('kubernetes')
      .description(
        'run the CIS Kubernetes Benchmark v1.12 on this node: control plane, etcd, kubelet, kube-proxy, files; policies on the cluster with --kubeconfig (formats: table, json, junit, sarif)',
      )
      .option('--root <dir>', 'read node files and ROOT/proc under DIR (a mounted node root)', '/')
      .option(
        '--targets <list...>',
        'node types to assess: master, etcd, controlplane, node, policies (default: what the node runs; policies with --kubeconfig)',
      )
      .option(
        '--benchmark <id>',
        "cis-1.12, or a managed cluster's worker node section: eks-1.8, gke-1.9, aks-1.8 (default: detected from the node)",
      )
      .option('--check <id...>', 'run only these controls (v1.12 ids or sections, e.g. 1.2.15 4.2)')
      .option('--kubeconfig <path>', 'read the cluster with this kubeconfig for section 5 (policies)')
      .option('--context <name>', 'kubeconfig context for section 5')
      .option('--exit-code <n>', 'exit with N when a control fails at one of --severity')
      .option('--severity <list>', 'severities that trigger --exit-code (comma-separated; default all)')
      .option('--host-name <name>', 'name of the node in the document (origin.host; default its hostname)')
      .option('--no-store', 'do not save the results in the store');
    withPushOptions(kubernetes).action(async (opts: KubernetesOptions, cmd: Command) =>
      benchKubernetes(context(cmd), opts),
    );
  },
};
