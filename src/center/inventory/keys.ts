/**
 * The key of every resource type (docs/center.md): the one place that spells them, so that a registry named by
 * `registry add` and one met in a pushed scan, or a container named by a benchmark and by an inventory, are one row.
 */
export const registryKey = (host: string) => `registry:${host}`;
export const repositoryKey = (host: string, path: string) => `repository:${host}/${path}`;
export const imageKey = (digest: string) => `image:${digest}`;
export const hostKey = (hostname: string) => `host:${hostname}`;
export const daemonKey = (hostname: string) => `daemon:${hostname}`;
export const containerKey = (hostname: string, id: string) => `container:${hostname}/${id}`;
export const clusterKey = (name: string) => `cluster:${name}`;
export const namespaceKey = (cluster: string, ns: string) => `namespace:${cluster}/${ns}`;
export const workloadKey = (cluster: string, ns: string, kind: string, name: string) =>
  `workload:${cluster}/${ns}/${kind}/${name}`;
export const podKey = (cluster: string, ns: string, name: string) => `pod:${cluster}/${ns}/${name}`;
/** RBAC, Services, NetworkPolicies…; cluster-scoped objects sit in `_cluster`. */
export const objectKey = (cluster: string, ns: string | undefined, kind: string, name: string) =>
  `object:${cluster}/${ns ?? CLUSTER_SCOPE}/${kind}/${name}`;

export const CLUSTER_SCOPE = '_cluster';

/** The registry of images with no registry (dir:, archives, SBOMs). */
export const LOCAL_REGISTRY = 'local';

/** Kinds filed as `workload` (they run pods); every other kind but Pod and Namespace is an `object`. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);

/** Kinds without a namespace; a namespaced object with none in its manifest lands in `default`, as kubectl does. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PodSecurityPolicy',
  'ClusterIssuer',
]);

/** Where a Kubernetes object named by a scan or an inventory lives in the cluster tree. */
export interface KubeObjectRef {
  apiVersion?: string | undefined;
  kind: string;
  namespace?: string | undefined;
  name: string;
}

export interface KubePlacement {
  key: string;
  type: 'namespace' | 'workload' | 'pod' | 'object';
  /** The namespace key, or the cluster key for cluster-scoped objects. */
  parent: string;
  namespace: string | undefined;
}

export function placeKubeObject(cluster: string, ref: KubeObjectRef): KubePlacement {
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(ref.kind);
  const ns = clusterScoped ? undefined : (ref.namespace ?? 'default');
  const parent = ns === undefined ? clusterKey(cluster) : namespaceKey(cluster, ns);
  if (ref.kind === 'Namespace')
    return {
      key: namespaceKey(cluster, ref.name),
      type: 'namespace',
      parent: clusterKey(cluster),
      namespace: ref.name,
    };
  if (ref.kind === 'Pod') return { key: podKey(cluster, ns!, ref.name), type: 'pod', parent, namespace: ns };
  if (WORKLOAD_KINDS.has(ref.kind) && ns !== undefined)
    return { key: workloadKey(cluster, ns, ref.kind, ref.name), type: 'workload', parent, namespace: ns };
  return { key: objectKey(cluster, ns, ref.kind, ref.name), type: 'object', parent, namespace: ns };
}

/** Registry host and repository path of an image reference, as Docker normalises it (`nginx` → docker.io/library/nginx). */
export function parseImageName(reference: string): { registry: string; repository: string } | undefined {
  const name = reference.replace(/^docker:\/\//, '').split('@')[0]!;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const explicitHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = explicitHost ? first : 'docker.io';
  let path = explicitHost ? name.slice(slash + 1) : name;
  // a tag follows the last colon after the last slash
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon !== -1) path = path.slice(0, colon);
  if (!path || !/^[a-z0-9._/-]+$/.test(path)) return undefined;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, repository: path };
}

/** The digest part of `repo@sha256:…`, `docker-pullable://repo@sha256:…` or a bare digest. */
export function digestOf(reference: string): string | undefined {
  const m = /(sha256:[0-9a-f]{64})$/.exec(reference);
  return m?.[1];
}
