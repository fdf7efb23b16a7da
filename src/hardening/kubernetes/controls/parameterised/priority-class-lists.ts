import { finding, onPod, str } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/** A named PriorityClass must be allowed (when the policy lists allowed ones) and not denied; unset passes. */
export const priorityClassLists: ParameterisedCheck = {
  name: 'priority-class-lists',
  control: 'K8S-REL-14',
  mode: 'replace',
  configured: (p) => p.allowedPriorityClasses.length > 0 || p.deniedPriorityClasses.length > 0,
  check: onPod((pod, _item, ctx) => {
    const name = str(pod.spec.priorityClassName);
    if (!name) return [];
    const field = `${pod.path}.priorityClassName`;
    if (ctx.params.deniedPriorityClasses.includes(name))
      return [finding(`PriorityClass ${name} is denied`, field)];
    const allowed = ctx.params.allowedPriorityClasses;
    return allowed.length && !allowed.includes(name)
      ? [finding(`PriorityClass ${name} is not an allowed PriorityClass`, field)]
      : [];
  }),
};
