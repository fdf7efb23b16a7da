import { z } from 'zod';
import { type AdmissionDefault, child, containersOf } from './types.js';

/** `ALL` (in any case, with or without `CAP_`) already dropped. */
const dropsAll = (drop: unknown[]): boolean =>
  drop.some((d) => typeof d === 'string' && d.toUpperCase().replace(/^CAP_/, '') === 'ALL');

export const dropAllCapabilities = {
  id: 'dropAllCapabilities',
  schema: z.literal(true),
  scope: 'pod',
  description: 'ALL in securityContext.capabilities.drop of every container (added to the drops it has)',
  apply: (pod) => {
    for (const c of containersOf(child(pod, 'spec'))) {
      const caps = child(c, 'securityContext');
      const capabilities = caps && child(caps, 'capabilities');
      if (!capabilities) continue;
      const drop = capabilities.drop;
      if (drop === undefined || drop === null) capabilities.drop = ['ALL'];
      else if (Array.isArray(drop) && !dropsAll(drop)) capabilities.drop = [...drop, 'ALL'];
    }
  },
} satisfies AdmissionDefault<true>;
