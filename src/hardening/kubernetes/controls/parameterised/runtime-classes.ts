import { finding, onPod, str } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/**
 * The runtime class of a pod: one of the allowed classes when the policy lists any (sandboxed runtimes such as
 * gvisor or kata), never a reserved one, and not the node's default runtime (no runtimeClassName) when that is
 * reserved.
 */
export const runtimeClasses: ParameterisedCheck = {
  name: 'runtime-classes',
  control: 'K8S-POD-34',
  mode: 'add',
  configured: (p) =>
    p.allowedRuntimeClasses.length > 0 || p.reservedRuntimeClasses.length > 0 || p.defaultRuntimeReserved,
  check: onPod((pod, _item, ctx) => {
    const { allowedRuntimeClasses: allowed, reservedRuntimeClasses: reserved } = ctx.params;
    const runtime = str(pod.spec.runtimeClassName);
    const field = `${pod.path}.runtimeClassName`;
    if (runtime === undefined || runtime === '')
      return ctx.params.defaultRuntimeReserved || allowed.length
        ? [finding('no runtimeClassName: the default runtime is not allowed', field)]
        : [];
    if (reserved.includes(runtime)) return [finding(`runtime class ${runtime} is reserved`, field)];
    if (allowed.length && !allowed.includes(runtime))
      return [finding(`runtime class ${runtime} is not an allowed runtime class`, field)];
    return [];
  }),
};
