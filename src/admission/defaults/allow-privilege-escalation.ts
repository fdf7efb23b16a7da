import { z } from 'zod';
import { type AdmissionDefault, containerSecurityDefault } from './types.js';

export const allowPrivilegeEscalation = {
  id: 'allowPrivilegeEscalation',
  schema: z.literal(false),
  scope: 'pod',
  description: 'securityContext.allowPrivilegeEscalation: false on every container',
  apply: (pod, value) => containerSecurityDefault(pod, 'allowPrivilegeEscalation', value),
} satisfies AdmissionDefault<false>;
