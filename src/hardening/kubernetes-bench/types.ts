import type { ControlStatus } from '../../core/results.js';
import type { Severity } from '../../core/severity.js';
import type { FileStat, Source } from '../docker/types.js';

export type { FileStat, Source } from '../docker/types.js';
export { missing, ok } from '../docker/types.js';

/** The node types of the CIS Kubernetes Benchmark, as kube-bench names them (`--targets`). */
export const TARGETS = ['master', 'etcd', 'controlplane', 'node', 'policies'] as const;
export type Target = (typeof TARGETS)[number];

/** The components whose flags and files the benchmark judges. */
export const COMPONENTS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kubelet',
  'kube-proxy',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'config' | 'env' | 'manifest';

export interface Setting {
  value: string;
  source: SettingSource;
  /** The flag, config key or variable name it was read from. */
  from: string;
}

/** A component found on the node: its running process, or (none running) its static pod manifest. */
export interface ComponentEvidence {
  name: ComponentName;
  /** The running process, or null when only a static pod manifest describes the component. */
  process: { pid: number; argv: string[] } | null;
  /** The static pod manifest read (master components), when there is one. */
  manifest: string | null;
  /** Flags as `name` (no dashes) → value; the last occurrence wins, as in pflag. */
  flags: ReadonlyMap<string, string>;
  /** Environment variables of the process that configure it (etcd's ETCD_*). */
  env: Readonly<Record<string, string>>;
  /** The `--config` file (kubelet, kube-proxy) and what it parsed to. */
  config: { path: string; value: Source<Record<string, unknown> | null> } | null;
}

export interface Evidence {
  hostname: string;
  /** Node file root (`--root`). */
  root: string;
  /** Components found, by name. */
  components: ReadonlyMap<ComponentName, ComponentEvidence>;
  /** Why reading the process table failed, when it did. */
  processError: string | null;
  /** Where the kubelet reads static pod manifests (staticPodPath / --pod-manifest-path, default kubeadm's). */
  manifestDir: string;
  /** stat of every path a control looks at; `null` value = absent. */
  files: ReadonlyMap<string, Source<FileStat | null>>;
  /** Files below directories the benchmark names (PKI, CNI config, etcd data dir), by directory. */
  trees: ReadonlyMap<string, Source<FileStat[] | null>>;
  /** The policies section's verdicts from the posture engine, by CIS id, when a cluster was read. */
  policies: Source<ReadonlyMap<string, PolicyVerdict>> | null;
}

/** The posture engine's results for the catalogue rows one policies recommendation covers. */
export interface PolicyVerdict {
  rows: string[];
  failing: { control: string; resource: string; message: string }[];
  passing: number;
}

/** A resource a result concerns. */
export interface BenchResource {
  type: 'host' | 'component' | 'file' | 'cluster' | 'object';
  id: string;
  name: string;
}

export interface Outcome {
  status: ControlStatus;
  message: string;
  resources?: BenchResource[];
  evidence?: unknown;
}

/**
 * One recommendation of the CIS Kubernetes Benchmark. Controls are data (see controls/helpers.ts): the component
 * and setting or the file they look at and the condition that passes; `check` is built from that data.
 */
export interface Control {
  /** v1.12 number. @example '1.2.15' */
  id: string;
  /** The number in the earlier benchmark versions, when it differs (null when the same or new). */
  legacyId: string | null;
  title: string;
  target: Target;
  /** @example '1.2' */
  section: string;
  level: 1 | 2;
  automated: boolean;
  severity: Severity;
  version: number;
  remediation: string;
  /** What the control reads, for documentation and for the collector. */
  needs: Need[];
  /** Policies only: the posture catalogue rows (K8S-…) that judge this recommendation on the cluster. */
  rows?: readonly string[];
  check(evidence: Evidence): Outcome;
}

/** A piece of evidence a control needs. */
export type Need =
  | { kind: 'setting'; component: ComponentName; flag: string; config?: string; env?: string }
  | { kind: 'file'; file: FileRef }
  | { kind: 'tree'; file: FileRef }
  | { kind: 'cluster' };

/** The files the benchmark names, resolved against the evidence (flags, manifest dir, defaults). */
export type FileRef =
  | 'apiserver-manifest'
  | 'controller-manager-manifest'
  | 'scheduler-manifest'
  | 'etcd-manifest'
  | 'cni-dir'
  | 'etcd-data-dir'
  | 'admin-kubeconfig'
  | 'scheduler-kubeconfig'
  | 'controller-manager-kubeconfig'
  | 'pki-dir'
  | 'kubelet-service'
  | 'proxy-kubeconfig'
  | 'kubelet-kubeconfig'
  | 'kubelet-client-ca'
  | 'kubelet-config';
