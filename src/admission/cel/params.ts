import { selects } from '../../hardening/kubernetes/controls/helpers.js';
import type { CelAdmissionInput } from './types.js';
import { labelsOf } from './values.js';
import type { BindingSpec } from './vap-schema.js';

/** Core kinds that are namespaced even when the param object in the input omits its namespace. */
const NAMESPACED_PARAM_KINDS = new Set(['ConfigMap', 'Secret']);

interface Meta {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/**
 * The param objects a binding's `paramRef` selects among the param objects of the input (of the policy's
 * `paramKind`). A namespaced kind is looked up in `paramRef.namespace`, else in the request's namespace (none
 * for a cluster-scoped request); an object without a namespace counts as `default`.
 */
export function resolveParams(
  paramKind: { apiVersion: string; kind: string },
  ref: NonNullable<BindingSpec['paramRef']>,
  paramObjects: readonly { raw: unknown; cel: unknown }[],
  input: CelAdmissionInput,
): { params: unknown[] } | { error: string } {
  const candidates = paramObjects.filter((p) => {
    const m = p.raw as Meta;
    return m.apiVersion === paramKind.apiVersion && m.kind === paramKind.kind;
  });
  const namespaced =
    NAMESPACED_PARAM_KINDS.has(paramKind.kind) ||
    candidates.some((p) => typeof (p.raw as Meta).metadata?.namespace === 'string');
  const ns = namespaced ? (ref.namespace ?? input.namespace) : undefined;
  if (namespaced && !ns)
    return {
      error: `${paramKind.kind} params are namespaced: a cluster-scoped request needs paramRef.namespace`,
    };
  const params = candidates
    .filter((p) => {
      const meta = (p.raw as Meta).metadata ?? {};
      if (namespaced && (typeof meta.namespace === 'string' ? meta.namespace : 'default') !== ns)
        return false;
      if (ref.name !== undefined) return meta.name === ref.name;
      return ref.selector !== undefined && selects(ref.selector, labelsOf(p.raw));
    })
    .map((p) => p.cel);
  return { params };
}
