/**
 * A reference to something Bulkhead assesses. `type` says which inventory it lives in; `id` is stable
 * within that type (an image digest, a container id, a host name, `namespace/kind/name` for workloads).
 */
export const RESOURCE_TYPES = [
  'registry',
  'repository',
  'image',
  'host',
  'daemon',
  'container',
  'file',
  'network',
  'volume',
  'swarm',
  'cluster',
  'namespace',
  'workload',
  'pod',
  'service-account',
  'role',
  'binding',
  'object',
  'process',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface ResourceRef {
  type: ResourceType;
  /** Stable identifier within `type`. @example 'sha256:9c7a…' */
  id: string;
  /** Human name where one exists. @example 'nginx:1.25' */
  name?: string;
  /** The cluster, host or registry that holds the resource. */
  parent?: ResourceRef;
  /** Kubernetes identity where it applies. */
  apiVersion?: string;
  kind?: string;
  namespace?: string;
}

/** A string key unique across all resources: `type:parentKey/id`. Used by the store and for de-duplication. */
export function resourceKey(ref: ResourceRef): string {
  const parent = ref.parent ? `${resourceKey(ref.parent)}/` : '';
  return `${parent}${ref.type}:${ref.id}`;
}

/** A short label for tables and messages. */
export function resourceLabel(ref: ResourceRef): string {
  if (ref.kind) {
    const ns = ref.namespace ? `${ref.namespace}/` : '';
    return `${ref.kind} ${ns}${ref.name ?? ref.id}`;
  }
  return ref.name && ref.name !== ref.id
    ? `${ref.type} ${ref.name} (${shortId(ref.id)})`
    : `${ref.type} ${ref.id}`;
}

function shortId(id: string): string {
  const hex = id.replace(/^sha256:/, '');
  return /^[0-9a-f]{32,}$/.test(hex) ? hex.slice(0, 12) : id;
}
