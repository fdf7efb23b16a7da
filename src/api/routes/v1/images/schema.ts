import { z } from 'zod';
import type { Verdict as VerdictType } from '../../../../center/index.js';
import { Severity, SeverityCounts } from '../../../schemas.js';

export const Verdict = z.object({
  digest: z.string(),
  verdict: z.enum(['pass', 'fail', 'not_assessed']),
  severity: Severity,
  open: SeverityCounts,
  excepted: z.number().int(),
}) satisfies z.ZodType<VerdictType>;
z.globalRegistry.add(Verdict, { id: 'Verdict' });

export const VerdictParams = z.object({ digest: z.string().regex(/^sha256:[0-9a-f]{64}$/) });
export const VerdictQuery = z.object({
  severity: Severity.default('HIGH').describe('Fail on open findings at or above this severity.'),
});
