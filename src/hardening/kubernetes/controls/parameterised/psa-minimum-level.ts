import { finding, onKinds, SYSTEM_NAMESPACES } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
const LABEL = 'pod-security.kubernetes.io/enforce';

/** A namespace's Pod Security enforce label must name at least the policy's level; a missing label fails. */
export const psaMinimumLevel: ParameterisedCheck = {
  name: 'psa-minimum-level',
  control: 'K8S-CL-01',
  mode: 'add',
  configured: (p) => p.minimumPsaLevel !== undefined,
  check: onKinds(['Namespace'], (o, _item, ctx) => {
    if (SYSTEM_NAMESPACES.has(o.metadata.name ?? '')) return [];
    const want = ctx.params.minimumPsaLevel!;
    const level = o.metadata.labels?.[LABEL];
    const rank = LEVELS.indexOf(level as (typeof LEVELS)[number]);
    if (rank >= LEVELS.indexOf(want)) return [];
    return [
      finding(
        level === undefined
          ? `namespace ${o.metadata.name} has no ${LABEL} label (at least ${want} required)`
          : `namespace ${o.metadata.name} enforces ${level}, below ${want}`,
        `metadata.labels.${LABEL}`,
      ),
    ];
  }),
};
