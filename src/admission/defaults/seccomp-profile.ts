import { z } from 'zod';
import { type AdmissionDefault, podSecurityDefault } from './types.js';

export const seccompProfile = {
  id: 'seccompProfile',
  schema: z.enum(['RuntimeDefault']),
  scope: 'pod',
  description: 'pod securityContext.seccompProfile of type RuntimeDefault',
  apply: (pod, value) => podSecurityDefault(pod, 'seccompProfile', { type: value }),
} satisfies AdmissionDefault<'RuntimeDefault'>;
