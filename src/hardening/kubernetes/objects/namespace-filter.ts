import picomatch from 'picomatch';
import type { LoadedObject } from './types.js';

/**
 * Which objects a scan limited by namespace keeps: an object's namespace is its `metadata.namespace` (a Namespace
 * object's own name). Objects with none — cluster-scoped kinds, manifests that leave the namespace to
 * `kubectl -n` — are always kept. Names are globs (`team-*`). Undefined when no limit is asked for.
 * @example namespaceFilter(['prod-*'], ['prod-sandbox'])
 */
export function namespaceFilter(
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): ((item: LoadedObject) => boolean) | undefined {
  if (include.length === 0 && exclude.length === 0) return undefined;
  const included = include.length ? picomatch([...include]) : () => true;
  const excluded = exclude.length ? picomatch([...exclude]) : () => false;
  return ({ object }) => {
    const namespace = object.kind === 'Namespace' ? object.metadata.name : object.metadata.namespace;
    if (!namespace) return true;
    return included(namespace) && !excluded(namespace);
  };
}
