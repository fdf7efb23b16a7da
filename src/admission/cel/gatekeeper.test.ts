import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type CelAdmissionInput, CelPolicyError, compileCelPolicies, evaluateCelPolicies } from './index.js';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

const TEMPLATE = `
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sdenyimage}
spec:
  crd: {spec: {names: {kind: K8sDenyImage}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: Rego
      source: {rego: "package x"}
    - engine: K8sNativeValidation
      source:
        variables:
        - name: images
          expression: "variables.anyObject.spec.containers.map(c, c.image)"
        validations:
        - expression: "!variables.images.exists(i, i == variables.params.image)"
          messageExpression: "'image ' + variables.params.image + ' is denied by ' + params.metadata.name"
`;

const constraint = (name: string, spec: string) => `
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDenyImage
metadata: {name: ${name}}
spec:${spec}
`;

function pod(image: string, namespace = 'default', labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace, labels },
    spec: { containers: [{ name: 'a', image }] },
  };
}

function input(object: unknown, more: Partial<CelAdmissionInput> = {}): CelAdmissionInput {
  const o = (object ?? more.oldObject) as { metadata: { namespace: string } };
  return {
    operation: 'CREATE',
    object,
    oldObject: null,
    userInfo: {},
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespace: o.metadata.namespace,
    name: 'p',
    dryRun: false,
    ...more,
  };
}

describe('Gatekeeper K8sNativeValidation templates', () => {
  const set = compileCelPolicies(
    docs(
      `${TEMPLATE}---${constraint(
        'deny-bad',
        `
  enforcementAction: warn
  match:
    kinds: [{apiGroups: [""], kinds: ["Pod"]}]
    excludedNamespaces: ["kube-*"]
    labelSelector: {matchExpressions: [{key: exempt, operator: DoesNotExist}]}
  parameters: {image: bad}`,
      )}`,
    ),
  );

  it('exposes variables.params, variables.anyObject and params (the constraint) to the body', () => {
    expect(set.constraintKinds).toEqual(['K8sDenyImage']);
    expect(evaluateCelPolicies(set, input(pod('bad')))).toEqual([
      { policy: 'K8sDenyImage/deny-bad', actions: ['Warn'], message: 'image bad is denied by deny-bad' },
    ]);
    expect(evaluateCelPolicies(set, input(pod('good')))).toEqual([]);
  });

  it('reads the old object for DELETE through variables.anyObject', () => {
    const del = input(null, { operation: 'DELETE', oldObject: pod('bad') });
    expect(evaluateCelPolicies(set, del)).toHaveLength(1);
  });

  it('applies the constraint match: excludedNamespaces globs, labelSelector, kinds', () => {
    expect(evaluateCelPolicies(set, input(pod('bad', 'kube-system')))).toEqual([]);
    expect(evaluateCelPolicies(set, input(pod('bad', 'default', { exempt: 'y' })))).toEqual([]);
    const deployment = { ...pod('bad'), apiVersion: 'apps/v1', kind: 'Deployment' };
    expect(
      evaluateCelPolicies(
        set,
        input(deployment, { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }),
      ),
    ).toEqual([]);
  });

  it('maps enforcementAction deny/dryrun to Deny/Audit', () => {
    const two = compileCelPolicies(
      docs(
        `${TEMPLATE}---${constraint('d', '\n  parameters: {image: bad}')}---${constraint('r', '\n  enforcementAction: dryrun\n  parameters: {image: bad}')}`,
      ),
    );
    expect(evaluateCelPolicies(two, input(pod('bad'))).map((v) => [v.policy, v.actions])).toEqual([
      ['K8sDenyImage/d', ['Deny']],
      ['K8sDenyImage/r', ['Audit']],
    ]);
  });

  it('ignores constraints whose template has no CEL body, and Rego-only templates', () => {
    const rego = compileCelPolicies(
      docs(`
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sother}
spec:
  crd: {spec: {names: {kind: K8sOther}}}
  targets: [{target: admission.k8s.gatekeeper.sh, rego: "package x"}]
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sOther
metadata: {name: o}
`),
    );
    expect(rego.constraintKinds).toEqual([]);
    expect(evaluateCelPolicies(rego, input(pod('bad')))).toEqual([]);
  });

  it('rejects a template whose CEL does not compile (with or without constraints), naming the template and the expression', () => {
    const broken = TEMPLATE.replace(
      '"!variables.images.exists(i, i == variables.params.image)"',
      '"variables.images.exists(i,"',
    );
    let error: unknown;
    try {
      compileCelPolicies(docs(`${broken}---${constraint('c', '\n  parameters: {image: x}')}`));
    } catch (e) {
      error = e;
    }
    expect(() => compileCelPolicies(docs(broken))).toThrow(CelPolicyError);
    expect(error).toBeInstanceOf(CelPolicyError);
    expect((error as CelPolicyError).message).toMatch(
      /^ConstraintTemplate\/k8sdenyimage: spec\.targets\[0\]\.code\[1\]\.source\.validations\[0\]\.expression "variables\.images\.exists\(i,": /,
    );
  });
});
