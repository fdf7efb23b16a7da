import { z } from 'zod';
import type { AuditView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['user', 'token', 'system']), id: z.string(), name: z.string() }),
  action: z.string().describe('Dotted verb, e.g. `token.create`, `exception.approve`.'),
  target: z.string(),
  detail: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<AuditView>;
z.globalRegistry.add(AuditEntry, { id: 'AuditEntry' });

export const AuditEntryPage = pageOf(AuditEntry);
z.globalRegistry.add(AuditEntryPage, { id: 'AuditEntryPage' });

export const AuditQuery = pageQuery(['id']).extend({
  action: z.string().optional(),
  actor: z.string().optional().describe('The actor id.'),
});
