import { z } from 'zod';
import { type AdmissionDefault, podSecurityDefault } from './types.js';

export const runAsGroup = {
  id: 'runAsGroup',
  schema: z.number().int().min(1).max(2147483647),
  scope: 'pod',
  description: 'pod securityContext.runAsGroup (a non-zero group id)',
  apply: (pod, value) => podSecurityDefault(pod, 'runAsGroup', value),
} satisfies AdmissionDefault<number>;
