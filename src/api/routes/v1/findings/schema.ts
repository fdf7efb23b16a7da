import { z } from 'zod';
import { type FindingView, RESULT_STATES } from '../../../../center/index.js';
import { pageOf, pageQuery } from '../../../pagination.js';
import { Severity } from '../../../schemas.js';

export const ResultState = z.enum(RESULT_STATES);
z.globalRegistry.add(ResultState, { id: 'ResultState' });

export const Finding = z.object({
  id: z.number().int(),
  resource: z.string(),
  vulnerability: z.string(),
  aliases: z.array(z.string()),
  package: z.object({ name: z.string(), version: z.string(), type: z.string(), purl: z.string() }),
  severity: Severity,
  status: z.string(),
  fixedVersion: z.string().nullable(),
  title: z.string().optional(),
  remediation: z.string(),
  state: ResultState,
  exception: z.number().int().optional(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
}) satisfies z.ZodType<FindingView>;
z.globalRegistry.add(Finding, { id: 'Finding' });

export const FindingPage = pageOf(Finding);
z.globalRegistry.add(FindingPage, { id: 'FindingPage' });

/** Filters every result list takes. */
export const resultFilters = {
  state: z.string().optional().describe('A state, or a comma-separated list.'),
  severity: z.string().optional().describe('A severity, or a comma-separated list.'),
  resource: z.string().optional().describe('A resource key: its own results.'),
};

export const FindingQuery = pageQuery([
  'severity',
  'firstSeen',
  'lastSeen',
  'vulnerability',
  'resource',
]).extend({
  ...resultFilters,
  vulnerability: z.string().optional().describe('A vulnerability id or alias.'),
  package: z.string().optional().describe('A package name or purl.'),
});
