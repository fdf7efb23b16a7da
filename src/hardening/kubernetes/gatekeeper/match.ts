import { asArray, get, isRecord, selects, str } from '../controls/helpers.js';
import type { Inventory } from '../inventory.js';
import type { Json, LoadedObject } from '../objects/types.js';

/** Kinds without a namespace (the ones constraints and their requests meet). */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'PriorityClass',
  'IngressClass',
  'CSIDriver',
]);

/** Gatekeeper namespace globs: a trailing `*` is a prefix, a leading `*` a suffix. */
function nsGlob(pattern: string, ns: string): boolean {
  if (pattern.endsWith('*')) return ns.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return ns.endsWith(pattern.slice(1));
  return pattern === ns;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

/**
 * Does a constraint's `spec.match` select the object? kinds, scope, namespaces, excludedNamespaces, name,
 * labelSelector and namespaceSelector (Namespace objects from the inventory) as Gatekeeper applies them.
 */
export function constraintMatches(match: unknown, item: LoadedObject, inventory: Inventory): boolean {
  const m: Json = isRecord(match) ? match : {};
  const o = item.object;
  const kinds = asArray(m.kinds).filter(isRecord);
  if (kinds.length) {
    const group = groupOf(o.apiVersion);
    const ok = kinds.some((k) => {
      const groups = asArray(k.apiGroups).map(String);
      const ks = asArray(k.kinds).map(String);
      return (
        (groups.length === 0 || groups.includes('*') || groups.includes(group)) &&
        (ks.length === 0 || ks.includes('*') || ks.includes(o.kind))
      );
    });
    if (!ok) return false;
  }
  const clusterScoped = CLUSTER_SCOPED.has(o.kind);
  const scope = str(m.scope) ?? '*';
  if (scope === 'Cluster' && !clusterScoped) return false;
  if (scope === 'Namespaced' && clusterScoped) return false;
  const ns =
    o.kind === 'Namespace'
      ? (o.metadata.name ?? '')
      : (o.metadata.namespace ?? item.admission?.namespace ?? (clusterScoped ? '' : 'default'));
  const namespaces = asArray(m.namespaces).map(String);
  if (
    namespaces.length &&
    (clusterScoped && o.kind !== 'Namespace' ? true : !namespaces.some((p) => nsGlob(p, ns)))
  ) {
    if (!(clusterScoped && o.kind !== 'Namespace')) return false;
  }
  const excluded = asArray(m.excludedNamespaces).map(String);
  if (excluded.length && ns && excluded.some((p) => nsGlob(p, ns))) return false;
  const name = str(m.name);
  if (name && !nsGlob(name, o.metadata.name ?? '')) return false;
  if (isRecord(m.labelSelector) && !selects(m.labelSelector, o.metadata.labels ?? {})) return false;
  if (isRecord(m.namespaceSelector)) {
    if (clusterScoped && o.kind !== 'Namespace') return true;
    const nsObject = o.kind === 'Namespace' ? o : inventory.find('Namespace', ns);
    const labels = (get(nsObject, 'metadata', 'labels') ?? {}) as Record<string, string>;
    if (!nsObject || !selects(m.namespaceSelector, labels)) return false;
  }
  return true;
}
