import { describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { decide } from './decide.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';
import { reviewBody } from './test-support.js';

const deployment = (replicas: number, labels: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels },
  spec: { replicas },
});

/** The replicas-limit example of the Kubernetes documentation, with a param object and Deny + Audit. */
const vap = (actions: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replica-limit.example.com}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: rules.example.com/v1, kind: ReplicaLimit}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= params.maxReplicas
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' over the limit ' + string(params.maxReplicas)"
  auditAnnotations:
  - key: replicas
    valueExpression: "string(object.spec.replicas)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replica-limit-binding}
spec:
  policyName: replica-limit.example.com
  validationActions: [${actions}]
  paramRef: {name: limit, namespace: apps, parameterNotFoundAction: Deny}
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: limit, namespace: apps}
maxReplicas: 3
`;

const run = (policyText: string, object: Record<string, unknown>) =>
  decide(parseReview(reviewBody({ object })), parseAdmissionPolicy(policyText, 'policy.yaml'));

describe('CEL policies in the decision core', () => {
  it('denies through a ValidatingAdmissionPolicy with its param, and annotates the audit event', () => {
    const denied = run(vap('Deny, Audit'), deployment(5));
    expect(denied.allowed).toBe(false);
    expect(denied.review.response.status?.message).toBe(
      '[replica-limit.example.com] replicas 5 over the limit 3',
    );
    expect(denied.violations[0]).toMatchObject({
      action: 'deny',
      source: 'ValidatingAdmissionPolicyBinding/replica-limit-binding',
    });
    expect(denied.review.response.auditAnnotations).toEqual({
      'replica-limit.example.com/replicas': '5',
      'replica-limit.example.com/validation_failure': 'replicas 5 over the limit 3',
    });
    const allowed = run(vap('Deny, Audit'), deployment(2));
    expect(allowed.allowed).toBe(true);
    expect(allowed.violations).toEqual([]);
    expect(allowed.review.response.auditAnnotations).toEqual({ 'replica-limit.example.com/replicas': '2' });
  });

  it('warns for a Warn binding, and --mode audit caps a Deny binding', () => {
    const warned = run(vap('Warn'), deployment(5));
    expect(warned.allowed).toBe(true);
    expect(warned.review.response.warnings).toEqual([
      '[replica-limit.example.com] replicas 5 over the limit 3',
    ]);
    const policy = parseAdmissionPolicy(vap('Deny'), 'policy.yaml', { mode: 'audit' });
    const audited = decide(parseReview(reviewBody({ object: deployment(5) })), policy);
    expect(audited.allowed).toBe(true);
    expect(audited.violations.map((v) => v.action)).toEqual(['audit']);
  });

  it('evaluates a Gatekeeper template CEL body for a kind with no native check', () => {
    const policy = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sownerlabel}
spec:
  crd: {spec: {names: {kind: K8sOwnerLabel}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: K8sNativeValidation
      source:
        validations:
        - expression: "has(variables.anyObject.metadata.labels) && variables.params.label in variables.anyObject.metadata.labels"
          messageExpression: "'missing label ' + variables.params.label"
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sOwnerLabel
metadata: {name: owner}
spec:
  match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
  parameters: {label: owner}
`;
    const parsed = parseAdmissionPolicy(policy, 'policy.yaml');
    expect(parsed.unevaluated).toEqual([]);
    expect(run(policy, deployment(1)).review.response.status?.message).toMatch(/missing label owner/);
    expect(run(policy, deployment(1, { owner: 'team-a' })).allowed).toBe(true);
  });

  it("runs a template's CEL body for a library kind too, instead of the native rows", () => {
    const policy = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd: {spec: {names: {kind: K8sRequiredLabels}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: K8sNativeValidation
      source:
        validations:
        - expression: "has(variables.anyObject.metadata.labels) && variables.anyObject.metadata.labels.all(k, k != 'forbidden')"
          message: this team's template forbids the label
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: team}
spec:
  match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
  parameters: {labels: [{key: owner}]}
`;
    const parsed = parseAdmissionPolicy(policy, 'policy.yaml');
    expect(parsed.constraints).toEqual([]);
    expect(run(policy, deployment(1, { forbidden: 'x' })).review.response.status?.message).toMatch(
      /forbids the label/,
    );
    // the native K8sRequiredLabels row would refuse a missing owner label; the template does not ask for it
    expect(run(policy, deployment(1, { team: 'a' })).allowed).toBe(true);
  });

  it('names constraints that nothing evaluates', () => {
    const parsed = parseAdmissionPolicy(
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sSomethingElse\nmetadata: {name: x}\nspec: {}\n',
      'policy.yaml',
    );
    expect(parsed.unevaluated).toEqual(['K8sSomethingElse/x']);
  });

  it('refuses a policy whose CEL does not compile, naming the expression (exit 2)', () => {
    const broken = vap('Deny').replace(
      'object.spec.replicas <= params.maxReplicas',
      'object.spec.replicas <=',
    );
    expect(() => parseAdmissionPolicy(broken, 'policy.yaml')).toThrow(UserInputError);
    expect(() => parseAdmissionPolicy(broken, 'policy.yaml')).toThrow(
      /replica-limit\.example\.com.*object\.spec\.replicas <=/,
    );
  });
});
