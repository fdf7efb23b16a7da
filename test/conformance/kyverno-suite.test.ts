import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kyvernoSuite } from './suites/kyverno.js';
import { runSuite } from './summarize.js';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: team-quota}
spec:
  validationFailureAction: Enforce
  rules:
  - name: check-team
    match: {any: [{resources: {kinds: [Pod]}}]}
    context:
    - name: quota
      apiCall: {urlPath: "/api/v1/namespaces/{{request.namespace}}/resourcequotas", jmesPath: "items | length(@)"}
    preconditions:
      all:
      - {key: "{{ request.operation }}", operator: AnyIn, value: [CREATE, UPDATE]}
    validate:
      message: "namespace {{ request.namespace }} has no quota"
      deny:
        conditions:
          all:
          - {key: "{{ quota }}", operator: Equals, value: 0}
  - name: label
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate: {patchStrategicMerge: {metadata: {labels: {a: b}}}}
`;

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: in-quota, namespace: a}
spec: {containers: [{name: c, image: x:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: no-quota, namespace: b}
spec: {containers: [{name: c, image: x:1}]}
`;

function layout(test: string, values?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'bulkhead-kyverno-suite-'));
  const dir = join(root, 'team-quota', '.kyverno-test');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'team-quota', 'team-quota.yaml'), POLICY);
  writeFileSync(join(dir, 'resource.yaml'), PODS);
  writeFileSync(join(dir, 'kyverno-test.yaml'), test);
  if (values) writeFileSync(join(dir, 'values.yaml'), values);
  return root;
}

const TEST = (extra = '') => `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: team-quota}
policies: [../team-quota.yaml]
resources: [resource.yaml]
${extra}
results:
- {policy: team-quota, rule: check-team, kind: Pod, resources: [in-quota], result: pass}
- {policy: team-quota, rule: check-team, kind: Pod, resources: [no-quota], result: fail}
- {policy: team-quota, rule: label, kind: Pod, resources: [in-quota], result: pass}
`;

describe('kyverno conformance suite', () => {
  it('runs the policy beside the test, with the values file standing in for API calls', async () => {
    const values = `apiVersion: cli.kyverno.io/v1alpha1
kind: Values
globalValues: {request.operation: UPDATE}
policies:
- name: team-quota
  resources:
  - {name: in-quota, values: {quota: 2}}
  - {name: no-quota, values: {quota: 0}}
`;
    const s = await runSuite(kyvernoSuite, layout(TEST('variables: values.yaml'), values));
    expect(
      s.cases.map((c) => [c.id.split('/').slice(-3).join('/'), c.verdict, c.detail?.split(':')[0]]),
    ).toEqual([
      ['check-team/Pod/in-quota', 'passed', undefined],
      ['check-team/Pod/no-quota', 'passed', undefined],
      ['label/Pod/in-quota', 'passed', undefined],
    ]);
  });

  it('applies the PolicyExceptions the test names', async () => {
    const values = `apiVersion: cli.kyverno.io/v1alpha1
kind: Values
policies:
- name: team-quota
  rules:
  - {name: check-team, values: {quota: 0}}
`;
    const root = layout(
      TEST('variables: values.yaml\nexceptions: [exception.yaml]').replace(
        'resources: [in-quota], result: pass}',
        'resources: [in-quota], result: skip}',
      ),
      values,
    );
    writeFileSync(
      join(root, 'team-quota', '.kyverno-test', 'exception.yaml'),
      `apiVersion: kyverno.io/v2
kind: PolicyException
metadata: {name: ns-a, namespace: kyverno}
spec:
  exceptions:
  - {policyName: team-quota, ruleNames: [check-team]}
  match:
    any:
    - resources: {kinds: [Pod], namespaces: [a]}
`,
    );
    const s = await runSuite(kyvernoSuite, root);
    expect(s.cases.map((c) => c.verdict)).toEqual(['passed', 'passed', 'passed']);
  });

  it('without values the API-reading rule is not implemented, with its reason code', async () => {
    const s = await runSuite(kyvernoSuite, layout(TEST()));
    expect(s.cases.map((c) => c.detail?.split(':')[0])).toEqual([
      'needs-cluster-data',
      'needs-cluster-data',
      undefined,
    ]);
  });

  it("runs a mutate rule and compares the result with the test's patched resource", async () => {
    const patched = (value: string) => `apiVersion: v1
kind: Pod
metadata: {name: in-quota, namespace: a, labels: {a: ${value}}}
spec: {containers: [{name: c, image: x:1}]}
`;
    const test = TEST().replace(
      '{policy: team-quota, rule: label, kind: Pod, resources: [in-quota], result: pass}',
      '{policy: team-quota, rule: label, kind: Pod, resources: [in-quota], result: pass, patchedResources: patched.yaml}',
    );
    const verdictWith = async (value: string) => {
      const root = layout(test);
      writeFileSync(join(root, 'team-quota', '.kyverno-test', 'patched.yaml'), patched(value));
      return (await runSuite(kyvernoSuite, root)).cases.at(-1);
    };
    expect((await verdictWith('b'))?.verdict).toBe('passed');
    expect(await verdictWith('c')).toMatchObject({
      verdict: 'failed',
      detail: 'expected pass, got patched differently: mutated',
    });
  });

  it('fails loudly on keys it does not read', async () => {
    const s = await runSuite(kyvernoSuite, layout(TEST('checks: []')));
    expect(s.cases).toEqual([
      expect.objectContaining({ verdict: 'failed', detail: 'unknown Test keys: checks' }),
    ]);
    const v = await runSuite(
      kyvernoSuite,
      layout(
        TEST('variables: values.yaml'),
        'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nsomething: 1\n',
      ),
    );
    expect(
      v.cases.every((c) => c.verdict === 'failed' && c.detail === 'unknown values keys: something'),
    ).toBe(true);
  });
});
