import { z } from 'zod';
import { COMPLIANCE_STANDARDS, type ComplianceView } from '../../../../center/index.js';
import { Severity } from '../../../schemas.js';

export const ComplianceStandard = z.enum(COMPLIANCE_STANDARDS);
z.globalRegistry.add(ComplianceStandard, { id: 'ComplianceStandard' });

export const Compliance = z.object({
  standard: ComplianceStandard,
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: Severity,
      pass: z.number().int(),
      fail: z.number().int(),
      notApplicable: z.number().int(),
    }),
  ),
  summary: z.object({ pass: z.number().int(), fail: z.number().int(), notApplicable: z.number().int() }),
}) satisfies z.ZodType<ComplianceView>;
z.globalRegistry.add(Compliance, { id: 'Compliance' });

export const ComplianceQuery = z.object({ standard: ComplianceStandard });
