import type { CelAdmissionInput } from './types.js';
import { toCel } from './values.js';

/**
 * The CEL variables of one request, converted once and shared by every policy: `object`, `oldObject`,
 * `request` (the AdmissionRequest fields), `namespaceObject` (namespaced requests only) and `params` (null until
 * a binding supplies one).
 */
export function baseActivation(input: CelAdmissionInput): Record<string, unknown> {
  const [resource, subResource = ''] = input.resource.resource.split('/', 2) as [string, string | undefined];
  const gvr = { group: input.resource.group, version: input.resource.version, resource };
  return {
    object: toCel(input.object ?? null),
    oldObject: toCel(input.oldObject ?? null),
    namespaceObject: input.namespace ? toCel(input.namespaceObject ?? null) : null,
    params: null,
    request: toCel({
      kind: input.kind,
      resource: gvr,
      subResource,
      requestKind: input.kind,
      requestResource: gvr,
      requestSubResource: subResource,
      name: input.name ?? '',
      namespace: input.namespace ?? '',
      operation: input.operation,
      userInfo: {
        username: input.userInfo.username ?? '',
        uid: input.userInfo.uid ?? '',
        groups: input.userInfo.groups ?? [],
        extra: input.userInfo.extra ?? {},
      },
      dryRun: input.dryRun,
      options: null,
    }),
  };
}
