import { envelope } from '../core/envelope.js';
import type { Report } from '../core/render/index.js';
import type { Decision } from './decide.js';

/**
 * `admission review` output. JSON: the AdmissionReview response exactly as the webhook sends it (apiVersion,
 * kind, response) with Bulkhead's envelope fields beside; table: the verdict and one row per violation.
 */
export function reviewReport(decision: Decision): Report {
  const { apiVersion, response } = decision.review;
  return {
    document: envelope('AdmissionReview', { apiVersion, response }),
    table: () => ({
      title: `${decision.operation} ${decision.namespace ? `in ${decision.namespace} ` : ''}— ${
        decision.allowed ? 'allowed' : 'denied'
      }${decision.skipped ? ` (${decision.skipped})` : ''}`,
      columns: [
        { header: 'ACTION', key: 'action' },
        { header: 'CONTROL', key: 'control' },
        { header: 'SEVERITY', key: 'severity' },
        { header: 'MESSAGE', key: 'message', maxWidth: 100 },
      ],
      sections: [{ rows: decision.violations.map((v) => ({ ...v })) }],
      footer: [
        `uid ${response.uid}: allowed=${response.allowed}, ${decision.violations.length} violation(s)`,
      ],
    }),
  };
}
