import { z } from 'zod';
import { type ControlResultView, ENGINES } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { Severity } from '../../../schemas.js';
import { ResultState, resultFilters } from '../findings/schema.js';

export const Engine = z.enum(ENGINES);
z.globalRegistry.add(Engine, { id: 'Engine' });

export const ControlResult = z.object({
  id: z.number().int(),
  resource: z.string(),
  engine: Engine,
  control: z.string(),
  title: z.string(),
  severity: Severity,
  standards: z.array(z.string()),
  status: z.string(),
  message: z.string(),
  field: z.string().optional(),
  remediation: z.string(),
  state: ResultState,
  exception: z.number().int().optional(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
}) satisfies z.ZodType<ControlResultView>;
z.globalRegistry.add(ControlResult, { id: 'ControlResult' });

export const ControlResultPage = pageOf(ControlResult);
z.globalRegistry.add(ControlResultPage, { id: 'ControlResultPage' });

export const ControlResultQuery = pageQuery([
  'severity',
  'firstSeen',
  'lastSeen',
  'control',
  'resource',
]).extend({
  ...resultFilters,
  control: z.string().optional(),
  engine: Engine.optional(),
});
