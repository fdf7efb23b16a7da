import { errorMessage, UserInputError } from '../../core/errors.js';
import type { ControlResult, ControlStatus } from '../../core/results.js';
import type { Severity } from '../../core/severity.js';
import { CONTROLS, SECTION_TITLES } from './controls/index.js';
import { MANAGED_SECTION_TITLES, managedControls } from './controls/managed.js';
import { type BenchResource, type Control, type Evidence, TARGETS, type Target } from './types.js';

export const BENCHMARK = { id: 'cis-1.12', name: 'CIS Kubernetes Benchmark', version: '1.12' } as const;

/** The benchmarks `--benchmark` names. */
export const BENCHMARK_IDS = ['cis-1.12', 'eks-1.8', 'gke-1.9', 'aks-1.8'] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export interface BenchmarkInfo {
  id: BenchmarkId;
  name: string;
  version: string;
  /** Prefix of the center's control ids and SARIF rule ids. */
  prefix: string;
  controls: readonly Control[];
  sections: Readonly<Record<string, string>>;
}

/** Each benchmark's catalogue: CIS in full; the managed ones' node section (their control plane is the provider's). */
export const BENCHMARKS: Readonly<Record<BenchmarkId, BenchmarkInfo>> = {
  'cis-1.12': { ...BENCHMARK, prefix: 'CIS-K8S', controls: CONTROLS, sections: SECTION_TITLES },
  'eks-1.8': {
    id: 'eks-1.8',
    name: 'CIS Amazon Elastic Kubernetes Service (EKS) Benchmark',
    version: '1.8.0',
    prefix: 'CIS-EKS',
    controls: managedControls('eks-1.8'),
    sections: MANAGED_SECTION_TITLES,
  },
  'gke-1.9': {
    id: 'gke-1.9',
    name: 'CIS Google Kubernetes Engine (GKE) Benchmark',
    version: '1.9.0',
    prefix: 'CIS-GKE',
    controls: managedControls('gke-1.9'),
    sections: MANAGED_SECTION_TITLES,
  },
  'aks-1.8': {
    id: 'aks-1.8',
    name: 'CIS Azure Kubernetes Service (AKS) Benchmark',
    version: '1.8.0',
    prefix: 'CIS-AKS',
    controls: managedControls('aks-1.8'),
    sections: MANAGED_SECTION_TITLES,
  },
};

export function parseBenchmark(value: string | undefined): BenchmarkId {
  const id = value ?? 'cis-1.12';
  if (!(BENCHMARK_IDS as readonly string[]).includes(id))
    throw new UserInputError('--benchmark', `"${id}" is not one of ${BENCHMARK_IDS.join(', ')}`);
  return id as BenchmarkId;
}

export function parseTargets(list: readonly string[] | undefined): Target[] | undefined {
  if (!list) return undefined;
  const out = list
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of out)
    if (!(TARGETS as readonly string[]).includes(t))
      throw new UserInputError('--targets', `"${t}" is not one of ${TARGETS.join(', ')}`);
  return [...new Set(out)] as Target[];
}

/** One row of the KubernetesBenchmark document. */
export interface BenchResult {
  id: string;
  legacyId: string | null;
  title: string;
  target: Target;
  section: string;
  level: 1 | 2;
  automated: boolean;
  status: ControlStatus;
  severity: Severity;
  message: string;
  resources: BenchResource[];
  evidence: unknown;
  remediation: string;
}

export interface Selection {
  /** Node types to assess; all of them when absent (the run narrows to what the node runs). */
  targets?: readonly Target[];
  /** Control ids or section prefixes (`1.2.15`, `4.2`, `2`). */
  checks?: readonly string[];
}

export function selectControls(selection: Selection, controls: readonly Control[] = CONTROLS): Control[] {
  const checks = (selection.checks ?? [])
    .flatMap((c) => c.split(','))
    .map((c) => c.trim())
    .filter(Boolean);
  for (const id of checks)
    if (!controls.some((c) => c.id === id || c.id.startsWith(`${id}.`)))
      throw new UserInputError('--check', `"${id}" is not an id or section of the selected benchmark`);
  return controls.filter(
    (c) =>
      (!selection.targets || selection.targets.includes(c.target)) &&
      (checks.length === 0 || checks.some((x) => c.id === x || c.id.startsWith(`${x}.`))),
  );
}

/** What the node runs: master and controlplane with an API server, etcd with etcd, node with a kubelet. */
export function detectTargets(evidence: Evidence, cluster: boolean): Target[] {
  const has = (n: Parameters<Evidence['components']['get']>[0]) => evidence.components.has(n);
  const out: Target[] = [];
  if (has('kube-apiserver') || has('kube-controller-manager') || has('kube-scheduler')) out.push('master');
  if (has('etcd')) out.push('etcd');
  if (has('kube-apiserver')) out.push('controlplane');
  if (has('kubelet') || has('kube-proxy')) out.push('node');
  if (cluster) out.push('policies');
  return out;
}

/** Run the controls over the evidence; a control that throws becomes `error`, never a pass. */
export function runControls(evidence: Evidence, controls: readonly Control[]): BenchResult[] {
  return controls.map((control) => {
    let outcome: ReturnType<Control['check']>;
    try {
      outcome = control.check(evidence);
    } catch (error) {
      outcome = { status: 'error', message: `check failed: ${errorMessage(error)}` };
    }
    return {
      id: control.id,
      legacyId: control.legacyId,
      title: control.title,
      target: control.target,
      section: control.section,
      level: control.level,
      automated: control.automated,
      status: outcome.status,
      severity: control.severity,
      message: outcome.message,
      resources: outcome.resources ?? [],
      evidence: outcome.evidence ?? null,
      remediation: control.remediation,
    };
  });
}

export type Summary = Record<ControlStatus, number>;

export function summarize(results: readonly BenchResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, info: 0, manual: 0, not_applicable: 0, error: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

/** The results as control results of the node, for the store. */
export function toControlResults(
  node: string,
  results: readonly BenchResult[],
  benchmark: BenchmarkInfo = BENCHMARKS['cis-1.12'],
): ControlResult[] {
  const host = { type: 'host' as const, id: node, name: node };
  const versions = new Map(benchmark.controls.map((c) => [c.id, c.version]));
  return results.map((r) => ({
    control: `${benchmark.prefix.toLowerCase()}-${r.id}`,
    controlVersion: versions.get(r.id) ?? 1,
    title: r.title,
    severity: r.severity,
    standards: [
      `${benchmark.name} v${benchmark.version} ${r.id}`,
      ...(r.legacyId ? [`CIS Kubernetes Benchmark (earlier) ${r.legacyId}`] : []),
    ],
    resource: host,
    status: r.status,
    message: r.message,
    evidence: { resources: r.resources, evidence: r.evidence },
    remediation: r.remediation,
  }));
}
