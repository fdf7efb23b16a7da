import { basename } from 'node:path';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { podSpecOf } from '../../../src/hardening/kubernetes/objects/pod-spec.js';
import { evaluatePss } from '../../../src/hardening/kubernetes/pss/evaluate.js';
import type { PssLevel } from '../../../src/hardening/kubernetes/pss/types.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel } from './support.js';

const LAYOUT = /(?:^|\/)(baseline|restricted)\/v(\d+)\.(\d+)\/(pass|fail)\/[^/]+\.ya?ml$/;

/**
 * pod-security-admission fixtures: `<level>/v<major.minor>/<pass|fail>/<check><n>.yaml`, one Pod each. A case
 * passes when both the PSS evaluator and the catalogue rows of that standard give the upstream verdict.
 */
export const pssSuite: ConformanceSuite = {
  name: 'pss',
  description: 'Pod Security Standards fixtures of kubernetes/pod-security-admission',
  defaultDir: 'manifests/pss-fixtures',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const file of filesUnder(dir, (n) => /\.ya?ml$/.test(n))) {
      const id = rel(dir, file);
      const m = LAYOUT.exec(id.split('\\').join('/'));
      if (!m) continue;
      const level = m[1] as PssLevel;
      const version = [Number(m[2]), Number(m[3])] as const;
      const expected = m[4] === 'pass';
      const objects = objectsOf(file);
      const pod = objects[0] ? podSpecOf(objects[0].object) : null;
      if (!pod) {
        yield { id, verdict: 'failed', detail: `${basename(file)} holds no pod` };
        continue;
      }
      const verdict = evaluatePss(pod, level, version);
      const rows = evaluate(objects.slice(0, 1), { standard: `pss-${level}`, pssVersion: version });
      const rowsAllowed = rows.every((r) => r.status !== 'fail');
      if (verdict.allowed === expected && rowsAllowed === expected) {
        yield { id, verdict: 'passed' };
        continue;
      }
      const why = verdict.violations.map((v) => `${v.check}: ${v.message}`).join('; ') || 'allowed';
      const rowWhy =
        rows
          .filter((r) => r.status === 'fail')
          .map((r) => r.control)
          .join(',') || 'none';
      yield {
        id,
        verdict: 'failed',
        detail: `expected ${expected ? 'allowed' : 'rejected'}; evaluator: ${why}; failing rows: ${rowWhy}`,
      };
    }
  },
};
