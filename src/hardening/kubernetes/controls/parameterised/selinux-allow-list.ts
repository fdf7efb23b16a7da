import { isRecord } from '../../objects/load.js';
import { sc } from '../../objects/pod-spec.js';
import type { Parameters } from '../../parameters/schema.js';
import { finding, glob, onPod } from '../helpers.js';
import type { ControlFailure } from '../types.js';
import type { ParameterisedCheck } from './types.js';

const FIELDS = ['user', 'role', 'type', 'level'] as const;

/** Set options pass when one allowed entry equals them on every field they set (an unset field matches). */
function allowed(options: Record<string, unknown>, list: NonNullable<Parameters['allowedSELinuxOptions']>) {
  return list.some((entry) => FIELDS.every((f) => !options[f] || entry[f] === options[f]));
}

/** SELinux options of the pod and of each container (not exempt images) against an allow-list. */
export const selinuxAllowList: ParameterisedCheck = {
  name: 'selinux-allow-list',
  control: 'K8S-POD-20',
  mode: 'replace',
  configured: (p) => p.allowedSELinuxOptions !== undefined,
  check: onPod((pod, _item, ctx) => {
    const list = ctx.params.allowedSELinuxOptions ?? [];
    const out: ControlFailure[] = [];
    const podOptions = pod.securityContext.seLinuxOptions;
    if (isRecord(podOptions) && !allowed(podOptions, list))
      out.push(finding('pod seLinuxOptions are not allowed', `${pod.path}.securityContext.seLinuxOptions`));
    const exempt = ctx.params.exemptImages;
    for (const c of pod.containers) {
      const options = sc(c).seLinuxOptions;
      if (!isRecord(options) || allowed(options, list)) continue;
      if (exempt.some((p) => glob(p, String(c.container.image ?? '')))) continue;
      out.push(
        finding(`${c.label} seLinuxOptions are not allowed`, `${c.path}.securityContext.seLinuxOptions`),
      );
    }
    return out;
  }),
};
