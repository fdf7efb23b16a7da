import { z } from 'zod';
import { type AdmissionDefault, podSecurityDefault } from './types.js';

export const runAsUser = {
  id: 'runAsUser',
  schema: z.number().int().min(1).max(2147483647),
  scope: 'pod',
  description: 'pod securityContext.runAsUser (a non-zero user id)',
  apply: (pod, value) => podSecurityDefault(pod, 'runAsUser', value),
} satisfies AdmissionDefault<number>;
