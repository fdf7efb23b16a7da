import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { corpusPath } from '../../test/corpus.js';
import { walk } from '../hardening/kubernetes/objects/files.js';
import { decide } from './decide.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';

interface Suite {
  tests?: {
    constraint?: string;
    cases?: { name?: string; object?: string; assertions?: { violations?: unknown }[] }[];
  }[];
}

/**
 * gatekeeper-library's `update.yaml` cases: real v1beta1 UPDATE AdmissionReviews with the sample's constraint,
 * decided by the webhook's core (with a uid added: the API server always sends one, the samples omit it).
 */
describe('gatekeeper-library UPDATE AdmissionReviews', () => {
  it('decide as the suites expect (pod-security-policy kinds ignore UPDATE)', () => {
    const root = corpusPath('manifests', 'gatekeeper-library', 'library');
    const outcomes: string[] = [];
    let implemented = 0;
    for (const file of walk(root).filter((f) => f.endsWith('suite.yaml'))) {
      const suite = parse(readFileSync(file, 'utf8')) as Suite;
      for (const test of suite.tests ?? [])
        for (const c of test.cases ?? []) {
          if (!c.object?.endsWith('update.yaml') || !test.constraint) continue;
          const base = dirname(file);
          const policy = parseAdmissionPolicy(
            readFileSync(join(base, test.constraint), 'utf8'),
            test.constraint,
          );
          if (policy.constraints.length === 0) continue; // a kind without a native implementation
          implemented += 1;
          const review = parse(readFileSync(join(base, c.object), 'utf8')) as {
            request: Record<string, unknown>;
          };
          review.request.uid = `uid-${implemented}`;
          const decision = decide(parseReview(JSON.stringify(review)), { ...policy, exemptNamespaces: [] });
          const expected = c.assertions?.[0]?.violations;
          const expectAllowed = expected === 'no' || expected === 0 || expected === false;
          expect(decision.review.apiVersion).toBe('admission.k8s.io/v1beta1');
          if (decision.allowed !== expectAllowed)
            outcomes.push(
              `${c.object}: expected allowed=${expectAllowed}, got ${decision.review.response.status?.message}`,
            );
        }
    }
    expect(implemented).toBeGreaterThanOrEqual(10);
    expect(outcomes).toEqual([]);
  });
});
