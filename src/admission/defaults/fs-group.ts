import { z } from 'zod';
import { type AdmissionDefault, podSecurityDefault } from './types.js';

export const fsGroup = {
  id: 'fsGroup',
  schema: z.number().int().min(1).max(2147483647),
  scope: 'pod',
  description: 'pod securityContext.fsGroup (the group owning mounted volumes)',
  apply: (pod, value) => podSecurityDefault(pod, 'fsGroup', value),
} satisfies AdmissionDefault<number>;
