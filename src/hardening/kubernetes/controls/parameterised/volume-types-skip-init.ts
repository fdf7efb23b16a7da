import { finding, onPod, records } from '../helpers.js';
import type { ControlFailure } from '../types.js';
import type { ParameterisedCheck } from './types.js';

/**
 * Volume types against allowedVolumeTypes (`*` = any), judging only volumes that a regular or ephemeral container
 * mounts: a volume only init containers use passes.
 */
export const volumeTypesSkipInit: ParameterisedCheck = {
  name: 'volume-types-skip-init',
  control: 'K8S-POD-25',
  mode: 'replace',
  configured: (p) => p.volumeTypesSkipInitOnly,
  check: onPod((pod, _item, ctx) => {
    const allowed = ctx.params.allowedVolumeTypes;
    if (allowed.includes('*')) return [];
    const mounted = new Set(
      pod.containers
        .filter((c) => c.list !== 'initContainers')
        .flatMap((c) => records(c.container.volumeMounts).map((m) => String(m.name))),
    );
    const out: ControlFailure[] = [];
    pod.volumes.forEach((v, i) => {
      if (!mounted.has(String(v.name))) return;
      const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      if (!allowed.includes(type))
        out.push(finding(`volume "${String(v.name)}" uses ${type}`, `${pod.path}.volumes[${i}].${type}`));
    });
    return out;
  }),
};
