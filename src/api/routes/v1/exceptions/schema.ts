import { z } from 'zod';
import type { ExceptionInput, ExceptionView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';

export const ExceptionSelector = z
  .object({
    registry: z.string().optional(),
    repository: z.string().optional(),
    image: z.string().optional(),
    host: z.string().optional(),
    container: z.string().optional(),
    cluster: z.string().optional(),
    namespace: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    resource: z.string().optional().describe('A resource key; globs allowed.'),
  })
  .strict();
z.globalRegistry.add(ExceptionSelector, { id: 'ExceptionSelector' });

export const NewException = z
  .object({
    targets: z.array(z.string().min(1)).min(1).describe('Control, advisory or rule ids; globs allowed.'),
    selector: ExceptionSelector,
    reason: z.string().min(1),
    expires: z.string().optional().describe('YYYY-MM-DD or an ISO date-time.'),
  })
  .strict() satisfies z.ZodType<ExceptionInput>;
z.globalRegistry.add(NewException, { id: 'NewException' });

export const ExceptionPatch = NewException.partial();
z.globalRegistry.add(ExceptionPatch, { id: 'ExceptionPatch' });

export const Exception = z.object({
  id: z.number().int(),
  targets: z.array(z.string()),
  selector: ExceptionSelector,
  reason: z.string(),
  expires: z.string().optional(),
  requestedBy: z.string(),
  approvedBy: z.string().nullable(),
  status: z.enum(['pending', 'active', 'expired', 'revoked']),
  covers: z.number().int().describe('Results it covers now.'),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<ExceptionView>;
z.globalRegistry.add(Exception, { id: 'Exception' });

export const ExceptionPage = pageOf(Exception);
z.globalRegistry.add(ExceptionPage, { id: 'ExceptionPage' });

export const ExceptionQuery = pageQuery(['id', 'createdAt', 'expires']).extend({
  status: z.enum(['pending', 'active', 'expired', 'revoked']).optional(),
});
