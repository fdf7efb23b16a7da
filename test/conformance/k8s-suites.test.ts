import { describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { gatekeeperSuite } from './suites/gatekeeper.js';
import { kubeScoreSuite } from './suites/kube-score.js';
import { kubewardenSuite } from './suites/kubewarden.js';
import { kyvernoSuite } from './suites/kyverno.js';
import { polarisSuite } from './suites/polaris.js';
import { pssSuite } from './suites/pss.js';
import { regolibrarySuite } from './suites/regolibrary.js';
import { closingLine, runSuite } from './summarize.js';
import type { ConformanceSuite } from './types.js';

/** Agreement required on the cases whose peer check is implemented. */
const THRESHOLDS: [ConformanceSuite, number, number][] = [
  // suite, minimum agreement, minimum number of implemented cases seen in the visible corpus
  [pssSuite, 1, 100],
  [gatekeeperSuite, 0.95, 150],
  [polarisSuite, 0.95, 150],
  [kubeScoreSuite, 0.95, 80],
  [kyvernoSuite, 0.95, 600],
  [regolibrarySuite, 0.95, 300],
];

describe.each(THRESHOLDS.map(([s, min, n]) => [s.name, s, min, n] as const))(
  'peer suite %s',
  (_name, suite, minimum, cases) => {
    it(`agrees on at least ${minimum * 100} % of the implemented cases`, async () => {
      const summary = await runSuite(suite, corpusPath(suite.defaultDir));
      const implemented = summary.passed + summary.failed;
      const failures = summary.cases.filter((c) => c.verdict === 'failed').map((c) => `${c.id}: ${c.detail}`);
      expect(implemented, closingLine(summary)).toBeGreaterThanOrEqual(cases);
      expect(summary.passed / implemented, failures.join('\n')).toBeGreaterThanOrEqual(minimum);
    });
  },
);

describe('kubewarden suite', () => {
  it('reads expectations.json over AdmissionReview bodies from any directory (no visible corpus)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-kubewarden-'));
    const review = (privileged: boolean) =>
      JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid: 'u',
          operation: 'CREATE',
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p' },
            spec: { containers: [{ name: 'a', image: 'x:1', securityContext: { privileged } }] },
          },
        },
      });
    writeFileSync(join(dir, 'privileged.json'), review(true));
    writeFileSync(join(dir, 'plain.json'), review(false));
    writeFileSync(
      join(dir, 'expectations.json'),
      JSON.stringify({
        cases: [
          { policy: 'pod-privileged', file: 'privileged.json', allowed: false },
          { policy: 'pod-privileged', file: 'plain.json', allowed: true },
          { policy: 'pod-privileged', file: 'plain.json', allowed: false },
          { policy: 'verify-image-signatures', file: 'plain.json', allowed: true },
        ],
      }),
    );
    const summary = await runSuite(kubewardenSuite, dir);
    expect(closingLine(summary)).toBe('2 passed, 1 failed, 1 not implemented');
  });
});

describe('pss suite', () => {
  it('reports a wrong verdict as failed (the suite can fail)', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-pss-'));
    mkdirSync(join(dir, 'baseline', 'v1.37', 'pass'), { recursive: true });
    writeFileSync(
      join(dir, 'baseline', 'v1.37', 'pass', 'privileged9.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x, securityContext: {privileged: true}}]\n',
    );
    const summary = await runSuite(pssSuite, dir);
    expect(closingLine(summary)).toBe('0 passed, 1 failed, 0 not implemented');
  });
});
