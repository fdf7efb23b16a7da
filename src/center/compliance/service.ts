import { RECOMMENDATION_ENTRIES } from '../catalogue.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { assessAll } from '../recommendations/assess.js';
import { COMPLIANCE_STANDARDS, type ComplianceStandard, type ComplianceView } from '../types.js';

export function createComplianceService(deps: CenterDeps) {
  return {
    /**
     * Per control of the standard (the catalogue's `standards`), resources passing (healthy), failing (an open
     * result) and not applicable, from the latest state of each control result; controls nothing assessed show zeros.
     */
    async get(standard: ComplianceStandard): Promise<ComplianceView> {
      if (!(COMPLIANCE_STANDARDS as readonly string[]).includes(standard))
        throw new CenterError(
          'BULKHEAD_ERR_VALIDATION',
          `standard must be one of ${COMPLIANCE_STANDARDS.join(', ')}`,
        );
      const counts = await assessAll(deps.store);
      const controls = RECOMMENDATION_ENTRIES.filter(
        (e) => e.kind === 'control' && e.standards.includes(standard),
      ).map((e) => {
        const c = counts.get(e.id)!;
        return {
          id: e.id,
          title: e.title,
          severity: e.severity,
          pass: c.healthy,
          fail: c.unhealthy,
          notApplicable: c.notApplicable,
        };
      });
      const summary = { pass: 0, fail: 0, notApplicable: 0 };
      for (const c of controls) {
        summary.pass += c.pass;
        summary.fail += c.fail;
        summary.notApplicable += c.notApplicable;
      }
      return { standard, controls, summary };
    },
  };
}
