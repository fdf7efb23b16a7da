import { z } from 'zod';
import { ALERT_STATES, type AlertPatch as AlertPatchType, type AlertView } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { Severity } from '../../../schemas.js';
import { resultFilters } from '../findings/schema.js';

export const AlertState = z.enum(ALERT_STATES);
z.globalRegistry.add(AlertState, { id: 'AlertState' });

export const Alert = z.object({
  id: z.number().int(),
  resource: z.string(),
  rule: z.string(),
  title: z.string(),
  severity: Severity,
  tactic: z.string(),
  technique: z.string().optional(),
  source: z.string(),
  count: z.number().int(),
  state: AlertState,
  assignee: z.string().nullable(),
  reason: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
  updatedAt: z.string(),
}) satisfies z.ZodType<AlertView>;
z.globalRegistry.add(Alert, { id: 'Alert' });

export const AlertPage = pageOf(Alert);
z.globalRegistry.add(AlertPage, { id: 'AlertPage' });

export const AlertQuery = pageQuery(['severity', 'firstSeen', 'lastSeen', 'rule', 'resource']).extend({
  ...resultFilters,
  rule: z.string().optional(),
});

export const AlertPatch = z
  .object({
    state: z.enum(['new', 'acknowledged', 'in_progress', 'resolved', 'dismissed']).optional(),
    assignee: z.string().nullable().optional(),
    reason: z.string().min(1).optional().describe('Required when state is dismissed.'),
  })
  .strict() satisfies z.ZodType<AlertPatchType>;
z.globalRegistry.add(AlertPatch, { id: 'AlertPatch' });
