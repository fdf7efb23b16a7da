import type { Kysely } from 'kysely';
import { errorMessage } from '../../core/errors.js';
import type { Report } from '../../core/render/index.js';
import { SEVERITIES, type Severity } from '../../core/severity.js';
import { saveControlScan } from '../../store/control-scan.js';
import type { Database } from '../../store/schema.js';
import {
  BENCHMARKS,
  type BenchmarkId,
  type BenchResult,
  detectTargets,
  runControls,
  type Selection,
  selectControls,
  toControlResults,
} from './benchmark.js';
import { CONTROLS } from './controls/index.js';
import { collectEvidence } from './evidence/index.js';
import { detectBenchmark } from './evidence/platform.js';
import { benchmarkDocument, benchmarkReport, type KubernetesBenchmarkDocument } from './report.js';
import {
  type BenchResource,
  type Evidence,
  missing,
  ok,
  type PolicyVerdict,
  type Source,
  type Target,
} from './types.js';

export interface KubernetesBenchmarkOptions extends Selection {
  /** Node file root (`/`, or where the node's root is mounted); processes are read from ROOT/proc. */
  root: string;
  benchmark?: BenchmarkId;
  /** Read the cluster for section 5 (policies) with this kubeconfig. */
  kubeconfig?: string;
  context?: string;
  /** The name the center files the node under (default: its hostname as the evidence reads it). */
  hostName?: string;
  /** Exit code when a control fails at one of `gateSeverities` (`--exit-code`); absent = no gate. */
  exitCode?: number;
  gateSeverities?: readonly Severity[];
  now?: Date;
}

export interface KubernetesBenchmarkOutcome {
  document: KubernetesBenchmarkDocument;
  report: Report;
  evidence: Evidence;
  targets: Target[];
  results: BenchResult[];
  gate: { exitCode: number };
}

/** Section 5: the posture engine on the live cluster, its results grouped by the policies rows they answer. */
async function policyVerdicts(
  options: KubernetesBenchmarkOptions,
  rows: ReadonlyMap<string, readonly string[]>,
): Promise<Source<ReadonlyMap<string, PolicyVerdict>>> {
  try {
    const { scanKubernetes } = await import('../kubernetes/scan-kubernetes.js');
    const scan = await scanKubernetes({
      cluster: true,
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
      includePassed: true,
    });
    if (scan.errors.length && scan.scope.objects.length === 0)
      return missing(`cluster not read: ${scan.errors[0]!.reason}`);
    const out = new Map<string, PolicyVerdict>();
    for (const [id, controls] of rows) {
      const results = scan.evaluation.results.filter((r) => controls.includes(r.control) && !r.suppressedBy);
      out.set(id, {
        rows: [...controls],
        failing: results
          .filter((r) => r.status === 'fail')
          .map((r) => ({ control: r.control, resource: r.resource.id, message: r.message })),
        passing: results.filter((r) => r.status === 'pass').length,
      });
    }
    return ok(out);
  } catch (error) {
    return missing(`cluster not read: ${errorMessage(error)}`);
  }
}

/**
 * Run the CIS Kubernetes Benchmark on one node: read the components, their config files and the named files
 * once, run the selected controls of the node's targets (what it runs, unless `targets` says), judge section 5 on
 * the cluster when a kubeconfig is given, build the KubernetesBenchmark document, and save the results when a
 * store is given. Never writes to stdout or exits.
 */
export async function runKubernetesBenchmark(
  options: KubernetesBenchmarkOptions,
  store?: { db: Kysely<Database> },
): Promise<KubernetesBenchmarkOutcome> {
  const select = (id: BenchmarkId) =>
    selectControls({ ...(options.checks ? { checks: options.checks } : {}) }, BENCHMARKS[id].controls);
  // without --benchmark the node says which one fits: read what every benchmark names, then choose
  // (--check names the chosen benchmark's ids, so it narrows only once the benchmark is known)
  const considered = options.benchmark
    ? select(options.benchmark)
    : Object.values(BENCHMARKS).flatMap((b) => b.controls);
  const files = considered.flatMap((c) =>
    c.needs.flatMap((n) => (n.kind === 'file' || n.kind === 'tree' ? [n.file] : [])),
  );
  const evidence = await collectEvidence({ root: options.root, files: [...new Set(files)] });
  const detected = options.benchmark ? undefined : detectBenchmark(evidence);
  const benchmark = BENCHMARKS[options.benchmark ?? detected!.id];
  const candidates = select(benchmark.id);
  const cluster = options.kubeconfig !== undefined;
  const targets = options.targets ? [...options.targets] : detectTargets(evidence, cluster);
  const controls = candidates.filter((c) => targets.includes(c.target));
  const policies = controls.filter((c) => c.target === 'policies');
  if (policies.length) {
    const rows = new Map<string, readonly string[]>();
    for (const c of policies) {
      const need = c.needs.find((n) => n.kind === 'cluster');
      if (need) rows.set(c.id, policyRows(c.id));
    }
    evidence.policies =
      cluster || options.targets?.includes('policies') ? await policyVerdicts(options, rows) : null;
  }
  const results = runControls(evidence, controls);
  const node = options.hostName || evidence.hostname;
  const complete = controls.length === benchmark.controls.filter((c) => targets.includes(c.target)).length;
  const now = options.now ?? new Date();
  const head = {
    engine: 'kubernetes-benchmark' as const,
    origin: { host: node },
    complete,
    assessed: [
      { type: 'host' as const, id: node, name: node },
      ...[...evidence.components.values()].map(
        (c): BenchResource => ({ type: 'component', id: c.name, name: c.name }),
      ),
    ],
  };
  const document = benchmarkDocument(evidence, targets, results, now, head, benchmark, detected?.reason);
  if (store)
    await saveControlScan(
      store.db,
      'bench-kubernetes',
      node,
      toControlResults(node, results, benchmark),
      now,
    );
  const severities = new Set(options.gateSeverities ?? SEVERITIES);
  const tripped =
    options.exitCode !== undefined && results.some((r) => r.status === 'fail' && severities.has(r.severity));
  return {
    document,
    report: benchmarkReport(document),
    evidence,
    targets,
    results,
    gate: { exitCode: tripped ? options.exitCode! : 0 },
  };
}

/** The posture catalogue rows a policies recommendation reads (from the control's data). */
function policyRows(id: string): readonly string[] {
  return POLICY_ROWS.get(id) ?? [];
}

const POLICY_ROWS: ReadonlyMap<string, readonly string[]> = new Map(
  CONTROLS.filter((c) => c.target === 'policies').map((c) => [c.id, c.rows ?? []]),
);
