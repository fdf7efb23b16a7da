import { UserInputError } from '../../core/errors.js';
import type { ClusterInventory, ClusterOptions } from './live/cluster.js';
import { readInputs } from './objects/files.js';
import { loadObjects } from './objects/load.js';
import { namespaceFilter } from './objects/namespace-filter.js';
import type { LoadError, LoadedObject } from './objects/types.js';

/** Where a Kubernetes assessment reads its objects, and which of them it assesses. */
export interface ScopeOptions {
  /** Files or directories of manifests; `-` for stdin. */
  paths?: readonly string[];
  /** Read the live cluster of the kubeconfig. */
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** Namespace globs to assess (all when empty). */
  includeNamespaces?: readonly string[];
  excludeNamespaces?: readonly string[];
  /** The name the center files the cluster under (origin.cluster); else the kube-system namespace's UID. */
  clusterName?: string;
}

/** The objects of one scope, and what the documents say about the scope. */
export interface LoadedScope {
  /** Objects to assess. */
  objects: LoadedObject[];
  /** Objects seen but not assessed (owned pods, namespaces out of scope): selectors, bindings. */
  context: LoadedObject[];
  errors: LoadError[];
  /** Every loaded object in the namespaces asked for, assessed or not: what the inventory lists. */
  inScope: LoadedObject[];
  /** The kubeconfig context name with --cluster (the store's target, as before). */
  liveName?: string;
  cluster: { name: string; uid?: string; version?: string };
  origin?: string;
  /** True for a whole live cluster without namespace filters (and no files beside it). */
  complete: boolean;
}

/**
 * Load the objects of a scope (files and/or a live cluster), apply the namespace filters, and work out the
 * origin: --cluster-name, else the kube-system namespace's UID from the live listing, else the kubeconfig cluster
 * name (a cluster without kube-system); absent for files without --cluster-name. `command` names the usage error.
 */
/**
 * Most objects one scan of files assesses: each costs about 1 MB of memory (objects, results, report) and
 * 10 ms; beyond this a scan would run for minutes and need gigabytes. Documented in docs/kubernetes.md.
 */
export const MAX_FILE_OBJECTS = 10_000;

export async function loadScope(options: ScopeOptions, command: string): Promise<LoadedScope> {
  const paths = options.paths ?? [];
  if (!options.cluster && paths.length === 0)
    throw new UserInputError(command, 'give manifest paths, - for stdin, or --cluster');
  let objects: LoadedObject[] = [];
  let context: LoadedObject[] = [];
  const errors: LoadError[] = [];
  let live: ClusterInventory | undefined;
  if (paths.length) {
    const loaded = loadObjects(readInputs([...paths]));
    objects = loaded.objects;
    for (const e of loaded.errors) errors.push(e);
    if (objects.length > MAX_FILE_OBJECTS)
      throw new UserInputError(
        paths.join(', '),
        `${objects.length} Kubernetes objects, more than the limit of ${MAX_FILE_OBJECTS} per scan: scan it in parts (by namespace or file)`,
      );
    // input that gives nothing to judge is refused, never reported as compliant
    if (objects.length === 0) {
      const first = loaded.errors[0];
      throw new UserInputError(
        first?.file ?? paths.join(', '),
        `no Kubernetes objects found${first ? ` (${first.reason})` : ''}: expected YAML or JSON manifests with apiVersion and kind`,
      );
    }
  }
  if (options.cluster) {
    const clusterOptions: ClusterOptions = {
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
    };
    // loaded only for a cluster: the Kubernetes client costs 50 MB of memory to every scan that imports it
    const { listClusterObjects } = await import('./live/cluster.js');
    live = await listClusterObjects(clusterOptions);
    for (const o of live.objects) objects.push(o);
    context = live.context;
    for (const e of live.errors) errors.push(e);
  }
  const loadedAll = [...objects, ...context];
  // objects outside the namespaces asked for are not assessed, but stay visible as context (policies, bindings)
  const filter = namespaceFilter(options.includeNamespaces ?? [], options.excludeNamespaces ?? []);
  if (filter) {
    context = [...context, ...objects.filter((o) => !filter(o))];
    objects = objects.filter(filter);
  }
  const inScope = loadedAll.filter(
    (o) =>
      (!filter || filter(o)) && !(o.object.apiVersion === 'bulkhead.dev/v1' && o.object.kind === 'Cluster'),
  );
  const kubeSystem = live
    ? [...live.objects, ...live.context].find(
        (o) => o.object.kind === 'Namespace' && o.object.metadata.name === 'kube-system',
      )
    : undefined;
  const uid =
    typeof kubeSystem?.object.metadata.uid === 'string' ? kubeSystem.object.metadata.uid : undefined;
  const origin =
    options.clusterName ||
    uid ||
    (live ? (live.cluster.configName ?? live.cluster.name) : undefined) ||
    undefined;
  return {
    objects,
    context,
    errors,
    inScope,
    ...(live ? { liveName: live.cluster.name } : {}),
    cluster: {
      name: options.clusterName ?? live?.cluster.name ?? 'manifests',
      ...(uid ? { uid } : {}),
      ...(live?.cluster.version ? { version: live.cluster.version } : {}),
    },
    ...(origin ? { origin } : {}),
    complete: options.cluster === true && paths.length === 0 && !filter,
  };
}

/** `assessed` of a KubernetesScan: every object evaluated, once. */
export function assessedObjects(objects: readonly LoadedObject[]) {
  const seen = new Map<string, { apiVersion: string; kind: string; namespace?: string; name: string }>();
  for (const { object } of objects) {
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const namespace = object.metadata.namespace;
    const key = `${object.apiVersion}/${object.kind}/${namespace ?? ''}/${name}`;
    if (!seen.has(key))
      seen.set(key, {
        apiVersion: object.apiVersion,
        kind: object.kind,
        ...(namespace ? { namespace } : {}),
        name,
      });
  }
  return [...seen.values()];
}
