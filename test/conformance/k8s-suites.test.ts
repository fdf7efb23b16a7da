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
  [gatekeeperSuite, 0.97, 170],
  [polarisSuite, 0.95, 150],
  [kubeScoreSuite, 0.95, 80],
  [kyvernoSuite, 0.97, 600],
  [regolibrarySuite, 0.95, 350],
  [kubewardenSuite, 0.97, 110],
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
      const unexplained = summary.cases.filter((c) => c.verdict === 'not-implemented' && !c.reason);
      expect(
        unexplained.map((c) => c.id),
        'n/i without a reason code',
      ).toEqual([]);
    });
  },
);

describe('kubewarden suite', () => {
  it('reads the e2e layout (expectations.json, kubewarden/<request>, settings files) from any directory', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-kubewarden-'));
    const data = join(dir, 'kubewarden', 'policies', 'p', 'test_data');
    mkdirSync(data, { recursive: true });
    // A bare-request shape: the object omits apiVersion/kind, the request's kind says what it is.
    const request = (add: string[], operation = 'CREATE') =>
      JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: {
          uid: 'u',
          operation,
          kind: { group: '', version: 'v1', kind: 'Pod' },
          [operation === 'DELETE' ? 'oldObject' : 'object']: {
            metadata: { name: 'p' },
            spec: { containers: [{ name: 'a', image: 'x:1', securityContext: { capabilities: { add } } }] },
          },
        },
      });
    writeFileSync(join(data, 'bpf.json'), request(['BPF']));
    writeFileSync(join(data, 'chown.json'), request(['CHOWN']));
    writeFileSync(join(data, 'delete.json'), request(['BPF'], 'DELETE'));
    writeFileSync(join(data, 'settings.yaml'), 'allowed_capabilities: [CHOWN]\n');
    const row = (request: string, expectAllowed: boolean, extra: Record<string, unknown> = {}) => ({
      policy: 'capabilities-psp-policy',
      test: request,
      request: `policies/p/test_data/${request}`,
      settingsJson: null,
      settingsPath: 'policies/p/test_data/settings.yaml',
      flags: [],
      expectAllowed,
      outputPatterns: [],
      ...extra,
    });
    writeFileSync(
      join(dir, 'expectations.json'),
      JSON.stringify({
        cases: [
          row('bpf.json', false),
          row('chown.json', true),
          row('delete.json', true),
          row('chown.json', false, { settingsJson: { allowed_capabilities: ['KILL'] }, settingsPath: null }),
          row('bpf.json', true),
          row('chown.json', true, { settingsJson: { default_add_capabilities: ['X'], weird: 1 } }),
          { ...row('chown.json', true), policy: 'verify-image-signatures' },
        ],
      }),
    );
    const summary = await runSuite(kubewardenSuite, dir);
    // a setting the policy does not have fails the run loudly; a policy named unsupported says why
    expect(closingLine(summary)).toBe('4 passed, 2 failed, 1 not implemented');
    const failed = summary.cases.filter((c) => c.verdict === 'failed').map((c) => c.detail);
    expect(failed[0]).toContain('[K8S-POD-09]');
    expect(failed[1]).toContain('setting weird is not a setting Bulkhead knows');
    expect(summary.reasons).toEqual({ 'image-verification': 1 });
  });
});

describe('gatekeeper suite', () => {
  it('fails a constraint whose parameter its template does not define', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-gatekeeper-'));
    mkdirSync(join(dir, 'library', 'repos'), { recursive: true });
    writeFileSync(
      join(dir, 'templates.json'),
      JSON.stringify({ templates: [{ kind: 'K8sAllowedRepos', parameters: { properties: { repos: {} } } }] }),
    );
    const constraint = (parameters: string) =>
      `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sAllowedRepos\nmetadata: {name: c}\nspec:\n  parameters: ${parameters}\n`;
    writeFileSync(join(dir, 'library', 'repos', 'good.yaml'), constraint('{repos: ["ok/"]}'));
    writeFileSync(join(dir, 'library', 'repos', 'bad.yaml'), constraint('{repos: ["ok/"], repository: x}'));
    writeFileSync(
      join(dir, 'library', 'repos', 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: ok/x:1}]\n',
    );
    writeFileSync(
      join(dir, 'library', 'repos', 'suite.yaml'),
      [
        'kind: Suite',
        'tests:',
        '- {name: good, constraint: good.yaml, cases: [{name: pod, object: pod.yaml, assertions: [{violations: no}]}]}',
        '- {name: bad, constraint: bad.yaml, cases: [{name: pod, object: pod.yaml, assertions: [{violations: no}]}]}',
      ].join('\n'),
    );
    const summary = await runSuite(gatekeeperSuite, dir);
    expect(closingLine(summary)).toBe('1 passed, 1 failed, 0 not implemented');
    expect(summary.cases[1]?.detail).toBe(
      "parameter repository is not in the K8sAllowedRepos template's schema",
    );
  });
});

describe('kube-score suite', () => {
  it('fails a row with a check or runConfig field it does not know, and scores optional checks per annotation', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-kube-score-'));
    const pod = (annotation: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {${annotation}}}\nspec:\n  containers: [{name: a, image: x:1}]\n`;
    writeFileSync(join(dir, 'on.yaml'), pod('kube-score/enable: container-seccomp-profile'));
    writeFileSync(join(dir, 'off.yaml'), pod('other: x'));
    const row = (file: string, check: string, outcome: string, runConfig: object) => ({
      file,
      check,
      outcome,
      runConfig,
    });
    const optional = { UseOptionalChecksAnnotation: true };
    writeFileSync(
      join(dir, 'expectations.json'),
      JSON.stringify({
        cases: [
          row('on.yaml', 'Container Seccomp Profile', 'WARNING', optional),
          row('off.yaml', 'Container Seccomp Profile', 'OK', optional),
          row('on.yaml', 'Container Seccomp Profile', 'WARNING', { UseIgnoreChecksAnnotation: true }),
          row('on.yaml', 'Some Future Check', 'OK', {}),
        ],
      }),
    );
    const summary = await runSuite(kubeScoreSuite, dir);
    expect(summary.cases.map((c) => c.verdict)).toEqual(['passed', 'passed', 'failed', 'failed']);
    expect(summary.cases[2]?.detail).toBe('runConfig UseIgnoreChecksAnnotation has no translation');
    expect(summary.cases[3]?.detail).toBe('unknown kube-score check "Some Future Check"');
  });
});

describe('polaris suite', () => {
  it('reads capability lists from the check definitions and fails a check it does not know', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-polaris-'));
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {capabilities: {add: [BPF]}}}]\n';
    for (const check of ['dangerousCapabilities', 'futureCheck']) {
      mkdirSync(join(dir, 'test', 'checks', check), { recursive: true });
      writeFileSync(join(dir, 'test', 'checks', check, 'failure.yaml'), pod);
    }
    const summary = () => runSuite(polarisSuite, dir);
    // without its definition the check cannot know which capabilities are dangerous
    expect((await summary()).cases.map((c) => c.detail)).toEqual([
      'dangerousCapabilities: its definition pkg/config/checks/dangerousCapabilities.yaml is missing',
      'unknown Polaris check futureCheck',
    ]);
    mkdirSync(join(dir, 'pkg', 'config', 'checks'), { recursive: true });
    writeFileSync(
      join(dir, 'pkg', 'config', 'checks', 'dangerousCapabilities.yaml'),
      "target: Container\nschema:\n  properties:\n    securityContext:\n      properties:\n        capabilities:\n          properties:\n            add:\n              not:\n                contains:\n                  pattern: '^(?i)BPF$'\n",
    );
    expect((await summary()).cases.map((c) => c.verdict)).toEqual(['passed', 'failed']);
  });

  it('runs a custom check.yaml beside the cases through the custom-check engine and fails an unknown key', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-polaris-'));
    const checks = join(dir, 'test', 'checks');
    const check =
      'failureMessage: name the app\ntarget: apps/Deployment\nschema:\n  properties:\n    metadata:\n      required: [labels]\n';
    const deployment = (labels: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${labels}}\nspec: {template: {spec: {containers: [{name: a, image: x:1}]}}}\n`;
    for (const [name, text] of [
      ['appLabel', check],
      ['futureKey', `${check}autofix: true\n`],
    ] as const) {
      mkdirSync(join(checks, name), { recursive: true });
      writeFileSync(join(checks, name, 'check.yaml'), text);
      writeFileSync(join(checks, name, 'failure.yaml'), deployment(''));
      writeFileSync(join(checks, name, 'success.yaml'), deployment(', labels: {app: d}'));
    }
    const summary = await runSuite(polarisSuite, dir);
    expect(summary.cases.map((c) => [c.id, c.verdict, c.detail])).toEqual([
      ['test/checks/appLabel/failure.yaml', 'passed', undefined],
      ['test/checks/appLabel/success.yaml', 'passed', undefined],
      ['test/checks/futureKey/failure.yaml', 'failed', 'custom check futureKey: unknown field "autofix"'],
      ['test/checks/futureKey/success.yaml', 'failed', 'custom check futureKey: unknown field "autofix"'],
    ]);
  });
});

describe('regolibrary suite', () => {
  it('fails a rule reading a posture input it cannot translate and names node data as the reason', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-regolibrary-'));
    const rule = (name: string, metadata: object, input: string) => {
      mkdirSync(join(dir, 'rules', name, 'test', 'case', 'input'), { recursive: true });
      writeFileSync(join(dir, 'rules', name, 'rule.metadata.json'), JSON.stringify({ name, ...metadata }));
      writeFileSync(join(dir, 'rules', name, 'test', 'case', 'expected.json'), '[]');
      writeFileSync(join(dir, 'rules', name, 'test', 'case', 'input', 'object.yaml'), input);
    };
    writeFileSync(
      join(dir, 'controls.json'),
      JSON.stringify({ controls: [{ controlID: 'C-0017', rules: ['odd-input', 'kubelet-rule'] }] }),
    );
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x:1}]\n';
    rule('odd-input', { configInputs: ['settings.postureControlInputs.someNewInput'] }, pod);
    rule(
      'kubelet-rule',
      { match: [{ apiGroups: ['hostdata.kubescape.cloud'], resources: ['KubeletInfo'] }] },
      'apiVersion: hostdata.kubescape.cloud/v1beta0\nkind: KubeletInfo\nmetadata: {name: n}\n',
    );
    const summary = await runSuite(regolibrarySuite, dir);
    const byId = Object.fromEntries(summary.cases.map((c) => [c.id, c]));
    expect(byId['odd-input/case']).toMatchObject({
      verdict: 'failed',
      detail: 'posture input someNewInput has no translation',
    });
    expect(byId['kubelet-rule/case']).toMatchObject({
      verdict: 'not-implemented',
      reason: 'needs-node-data',
    });
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
