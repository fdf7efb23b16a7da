import { z } from 'zod';
import { type AdmissionDefault, podSecurityDefault } from './types.js';

export const runAsNonRoot = {
  id: 'runAsNonRoot',
  schema: z.literal(true),
  scope: 'pod',
  description: 'pod securityContext.runAsNonRoot: true',
  apply: (pod, value) => podSecurityDefault(pod, 'runAsNonRoot', value),
} satisfies AdmissionDefault<true>;
