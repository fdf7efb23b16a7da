import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type CelAdmissionInput, CelPolicyError, compileCelPolicies, evaluateCelPolicies } from './index.js';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

function deployment(
  replicas: number,
  extra: { namespace?: string; labels?: Record<string, string>; name?: string } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: extra.name ?? 'web',
      namespace: extra.namespace ?? 'default',
      labels: extra.labels ?? {},
    },
    spec: { replicas, template: { spec: { containers: [{ name: 'a', image: 'example.com/nginx' }] } } },
  };
}

function request(object: unknown, more: Partial<CelAdmissionInput> = {}): CelAdmissionInput {
  const o = (object ?? more.oldObject ?? {}) as { metadata?: { namespace?: string; name?: string } };
  return {
    operation: 'CREATE',
    object,
    oldObject: null,
    userInfo: { username: 'alice', groups: ['system:authenticated'] },
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    resource: { group: 'apps', version: 'v1', resource: 'deployments' },
    namespace: o.metadata?.namespace ?? 'default',
    name: o.metadata?.name ?? '',
    dryRun: false,
    ...more,
  };
}

const ns = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const DEPLOYMENTS = `
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]`;

describe('ValidatingAdmissionPolicy: the replicas limit of the Kubernetes documentation', () => {
  const set = compileCelPolicies(
    docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  failurePolicy: Fail${DEPLOYMENTS}
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: demo-binding-test.example.com}
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {environment: test}
`),
  );
  const testNs = ns('default', { environment: 'test' });

  it('denies 6 replicas in a namespace labelled environment=test, with the default message', () => {
    const v = evaluateCelPolicies(set, request(deployment(6), { namespaceObject: testNs }));
    expect(v).toEqual([
      {
        policy: 'demo-policy.example.com',
        binding: 'demo-binding-test.example.com',
        actions: ['Deny'],
        message: 'failed expression: object.spec.replicas <= 5',
        reason: 'Invalid',
      },
    ]);
  });

  it('allows 5 replicas, other namespaces, other resources and DELETE', () => {
    expect(evaluateCelPolicies(set, request(deployment(5), { namespaceObject: testNs }))).toEqual([]);
    expect(evaluateCelPolicies(set, request(deployment(6), { namespaceObject: ns('default', {}) }))).toEqual(
      [],
    );
    const rs = request(deployment(6), {
      namespaceObject: testNs,
      resource: { group: 'apps', version: 'v1', resource: 'replicasets' },
    });
    expect(evaluateCelPolicies(set, rs)).toEqual([]);
    const del = request(null, { operation: 'DELETE', oldObject: deployment(6), namespaceObject: testNs });
    expect(evaluateCelPolicies(set, del)).toEqual([]);
  });
});

describe('ValidatingAdmissionPolicy: names checked with the format library', () => {
  const set = compileCelPolicies(
    docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: dns-label-names.example.com}
spec:${DEPLOYMENTS}
  validations:
  - expression: "!format.dns1123Label().validate(object.metadata.name).hasValue()"
    messageExpression: "'invalid name: ' + format.dns1123Label().validate(object.metadata.name).value().join(', ')"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: dns-label-names-binding}
spec: {policyName: dns-label-names.example.com, validationActions: [Deny]}
`),
  );

  it('denies a Deployment whose name is not a DNS-1123 label, with the API server message; allows a valid one', () => {
    expect(evaluateCelPolicies(set, request(deployment(1, { name: 'web-frontend' })))).toEqual([]);
    expect(evaluateCelPolicies(set, request(deployment(1, { name: 'Web_Frontend' })))).toEqual([
      {
        policy: 'dns-label-names.example.com',
        binding: 'dns-label-names-binding',
        actions: ['Deny'],
        message:
          "invalid name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        reason: 'Invalid',
      },
    ]);
    const long = evaluateCelPolicies(set, request(deployment(1, { name: 'a'.repeat(64) })));
    expect(long.map((v) => v.message)).toEqual(['invalid name: must be no more than 63 characters']);
  });
});

describe('ValidatingAdmissionPolicy: paramKind and paramRef', () => {
  const policy = (
    paramKind: string,
    expression: string,
    notFound: string,
    ref = 'name: replica-limit-test.example.com',
  ) =>
    docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicalimit-policy.example.com}
spec:
  failurePolicy: Fail
  paramKind: ${paramKind}${DEPLOYMENTS}
  validations:
  - expression: "${expression}"
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.${paramKind.includes('ConfigMap') ? 'data.maxReplicas' : 'maxReplicas'})"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicalimit-binding-test.example.com}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef:
    ${ref}
    namespace: default
    parameterNotFoundAction: ${notFound}
`);
  const crd = {
    apiVersion: 'rules.example.com/v1',
    kind: 'ReplicaLimit',
    metadata: { name: 'replica-limit-test.example.com', namespace: 'default', labels: { tier: 'a' } },
    maxReplicas: 3,
  };

  it('reads the limit from a param custom resource and words the message with messageExpression', () => {
    const set = compileCelPolicies([
      ...policy(
        '{apiVersion: rules.example.com/v1, kind: ReplicaLimit}',
        'object.spec.replicas <= params.maxReplicas',
        'Deny',
      ),
      crd,
    ]);
    expect(evaluateCelPolicies(set, request(deployment(3)))).toEqual([]);
    const [v] = evaluateCelPolicies(set, request(deployment(4)));
    expect(v).toMatchObject({ actions: ['Deny'], message: 'object.spec.replicas must be no greater than 3' });
  });

  it('reads the limit from a param ConfigMap (string data converted with int())', () => {
    const set = compileCelPolicies([
      ...policy(
        '{apiVersion: v1, kind: ConfigMap}',
        'object.spec.replicas <= int(params.data.maxReplicas)',
        'Deny',
      ),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'replica-limit-test.example.com' },
        data: { maxReplicas: '2' },
      },
    ]);
    expect(evaluateCelPolicies(set, request(deployment(2)))).toEqual([]);
    expect(evaluateCelPolicies(set, request(deployment(3)))[0]?.message).toBe(
      'object.spec.replicas must be no greater than 2',
    );
  });

  it('denies when no param is found and parameterNotFoundAction is Deny; allows with Allow', () => {
    const kind = '{apiVersion: rules.example.com/v1, kind: ReplicaLimit}';
    const deny = compileCelPolicies(policy(kind, 'object.spec.replicas <= params.maxReplicas', 'Deny'));
    expect(evaluateCelPolicies(deny, request(deployment(1)))).toEqual([
      expect.objectContaining({
        actions: ['Deny'],
        message: 'no params found for policy binding with `Deny` parameterNotFoundAction',
      }),
    ]);
    const allow = compileCelPolicies(policy(kind, 'object.spec.replicas <= params.maxReplicas', 'Allow'));
    expect(evaluateCelPolicies(allow, request(deployment(9)))).toEqual([]);
  });

  it('looks a namespaced param up in the request namespace, and reports a cluster-scoped request as an error', () => {
    const set = compileCelPolicies([
      ...policy(
        '{apiVersion: v1, kind: ConfigMap}',
        'object.spec.replicas <= int(params.data.maxReplicas)',
        'Allow',
      ).map((d) =>
        d.kind === 'ValidatingAdmissionPolicyBinding'
          ? { ...d, spec: { ...d.spec, paramRef: { name: 'limits', parameterNotFoundAction: 'Allow' } } }
          : d,
      ),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'limits', namespace: 'team-a' },
        data: { maxReplicas: '1' },
      },
    ]);
    expect(evaluateCelPolicies(set, request(deployment(2, { namespace: 'team-a' })))).toHaveLength(1);
    expect(evaluateCelPolicies(set, request(deployment(2, { namespace: 'team-b' })))).toEqual([]);
    const clusterScoped = request(deployment(2), { namespace: undefined });
    expect(evaluateCelPolicies(set, clusterScoped)[0]?.message).toMatch(/ConfigMap params are namespaced/);
  });

  it('evaluates once per param a selector picks', () => {
    const set = compileCelPolicies([
      ...policy(
        '{apiVersion: rules.example.com/v1, kind: ReplicaLimit}',
        'object.spec.replicas <= params.maxReplicas',
        'Deny',
        'selector: {matchLabels: {tier: a}}',
      ),
      crd,
      { ...crd, metadata: { ...crd.metadata, name: 'second' }, maxReplicas: 5 },
      { ...crd, metadata: { ...crd.metadata, name: 'other-tier', labels: { tier: 'b' } }, maxReplicas: 1 },
    ]);
    expect(evaluateCelPolicies(set, request(deployment(4))).map((v) => v.message)).toEqual([
      'object.spec.replicas must be no greater than 3',
    ]);
    expect(evaluateCelPolicies(set, request(deployment(6)))).toHaveLength(2);
  });
});

describe('ValidatingAdmissionPolicy: matchConditions, variables, actions, audit annotations, failurePolicy', () => {
  const one = (spec: string, actions = '[Deny]', binding = '') =>
    compileCelPolicies(
      docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:${spec}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: b}
spec:
  policyName: p
  validationActions: ${actions}${binding}
`),
    );

  it("skips requests a match condition excludes (the documentation's exclude-kubelet-requests)", () => {
    const set = one(`
  matchConstraints:
    resourceRules:
    - {apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*"]}
  matchConditions:
  - name: exclude-leases
    expression: '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")'
  - name: exclude-kubelet-requests
    expression: '!("system:nodes" in request.userInfo.groups)'
  - name: rbac
    expression: 'request.resource.group != "rbac.authorization.k8s.io"'
  validations:
  - expression: "!object.metadata.name.contains('demo') || object.metadata.namespace == 'demo'"`);
    const demo = deployment(1, { name: 'demo-app' });
    expect(evaluateCelPolicies(set, request(demo))).toHaveLength(1);
    expect(evaluateCelPolicies(set, request(deployment(1, { name: 'demo-app', namespace: 'demo' })))).toEqual(
      [],
    );
    const kubelet = request(demo, { userInfo: { username: 'system:node:n1', groups: ['system:nodes'] } });
    expect(evaluateCelPolicies(set, kubelet)).toEqual([]);
    const rbac = request(demo, {
      resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' },
    });
    expect(evaluateCelPolicies(set, rbac)).toEqual([]);
  });

  it('composes variables (lazily, from namespaceObject and earlier variables) into the validation and message', () => {
    const set = one(`${DEPLOYMENTS}
  variables:
  - name: environment
    expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
  - name: exempt
    expression: "has(object.metadata.labels) && 'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
  - name: containers
    expression: "object.spec.template.spec.containers"
  - name: containersToCheck
    expression: "variables.containers.filter(c, c.image.startsWith('example.com/'))"
  validations:
  - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
    messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"`);
    const staging = ns('default', { environment: 'staging' });
    const [v] = evaluateCelPolicies(set, request(deployment(1), { namespaceObject: staging }));
    expect(v?.message).toBe('only staging images are allowed in namespace default');
    const exempt = deployment(1, { labels: { exempt: 'true' } });
    expect(evaluateCelPolicies(set, request(exempt, { namespaceObject: staging }))).toEqual([]);
    const ok = deployment(1);
    ok.spec.template.spec.containers[0]!.image = 'staging.example.com/nginx';
    expect(evaluateCelPolicies(set, request(ok, { namespaceObject: staging }))).toEqual([]);
  });

  const highReplicas = `${DEPLOYMENTS}
  validations:
  - expression: "object.spec.replicas > 50"
    messageExpression: "'Deployment spec.replicas set to ' + string(object.spec.replicas)"
  auditAnnotations:
  - key: high-replica-count
    valueExpression: "object.spec.replicas > 50 ? null : dyn('Deployment spec.replicas set to ' + string(object.spec.replicas))"`;

  it('Audit: the failure is reported with action Audit and the audit annotation keyed <policy>/<key>', () => {
    const [v, ...rest] = evaluateCelPolicies(one(highReplicas, '[Audit]'), request(deployment(3)));
    expect(rest).toEqual([]);
    expect(v).toEqual({
      policy: 'p',
      binding: 'b',
      actions: ['Audit'],
      message: 'Deployment spec.replicas set to 3',
      reason: 'Invalid',
      auditAnnotations: { 'p/high-replica-count': 'Deployment spec.replicas set to 3' },
    });
    expect(evaluateCelPolicies(one(highReplicas, '[Audit]'), request(deployment(60)))).toEqual([]);
  });

  it('Warn and Warn+Audit carry their actions; Deny with Warn is rejected at load', () => {
    expect(evaluateCelPolicies(one(highReplicas, '[Warn]'), request(deployment(3)))[0]?.actions).toEqual([
      'Warn',
    ]);
    expect(
      evaluateCelPolicies(one(highReplicas, '[Warn, Audit]'), request(deployment(3)))[0]?.actions,
    ).toEqual(['Warn', 'Audit']);
    expect(() => one(highReplicas, '[Deny, Warn]')).toThrow(/Deny and Warn may not be used together/);
  });

  it('returns audit annotations alone (actions []) when every validation passes', () => {
    const set = one(`${DEPLOYMENTS}
  auditAnnotations:
  - key: replicas
    valueExpression: "string(object.spec.replicas)"`);
    expect(evaluateCelPolicies(set, request(deployment(3)))).toEqual([
      { policy: 'p', binding: 'b', actions: [], message: '', auditAnnotations: { 'p/replicas': '3' } },
    ]);
  });

  it('applies failurePolicy to evaluation errors: Fail reports them, Ignore drops them', () => {
    const spec = (fp: string) => `
  failurePolicy: ${fp}${DEPLOYMENTS}
  validations:
  - expression: "object.spec.missingField > 1"`;
    const [v] = evaluateCelPolicies(one(spec('Fail')), request(deployment(1)));
    expect(v?.message).toMatch(
      /^expression 'object.spec.missingField > 1' resulted in error: No such key: missingField/,
    );
    expect(evaluateCelPolicies(one(spec('Ignore')), request(deployment(1)))).toEqual([]);
  });

  it('honours objectSelector and excludeResourceRules of the binding', () => {
    const binding = `
  matchResources:
    objectSelector: {matchExpressions: [{key: skip, operator: DoesNotExist}]}
    excludeResourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["*"], resources: ["deployments"], resourceNames: ["legacy"]}`;
    const set = one(highReplicas, '[Deny]', binding);
    expect(evaluateCelPolicies(set, request(deployment(1)))).toHaveLength(1);
    expect(evaluateCelPolicies(set, request(deployment(1, { labels: { skip: 'y' } })))).toEqual([]);
    expect(evaluateCelPolicies(set, request(deployment(1, { name: 'legacy' })))).toEqual([]);
  });
});

describe('ValidatingAdmissionPolicy: load errors', () => {
  const policy = (validation: string) =>
    docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: broken.example.com}
spec:${DEPLOYMENTS}
  validations:
  - expression: "true"
  ${validation}
`);

  it('names the policy, the field, the expression and the reason of a broken expression', () => {
    let error: unknown;
    try {
      compileCelPolicies(policy('- expression: "object.spec.replicas <="'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CelPolicyError);
    const e = error as CelPolicyError;
    expect(e.policy).toBe('broken.example.com');
    expect(e.expression).toBe('object.spec.replicas <=');
    expect(e.field).toBe('spec.validations[1].expression');
    expect(e.message).toMatch(
      /^broken\.example\.com: spec\.validations\[1\]\.expression "object\.spec\.replicas <=": .+/,
    );
  });

  it('rejects type errors, unknown functions, a non-bool validation and the absent authorizer at load', () => {
    expect(() => compileCelPolicies(policy('- expression: "1 + \'a\' == 2"'))).toThrow(/no such overload/);
    expect(() => compileCelPolicies(policy('- expression: "object.spec.noSuchFunction()"'))).toThrow(
      /noSuchFunction/,
    );
    expect(() => compileCelPolicies(policy('- expression: "\'text\'"'))).toThrow(/must evaluate to bool/);
    expect(() => compileCelPolicies(policy("- expression: \"authorizer.group('').check('x')\""))).toThrow(
      /authorizer/,
    );
    expect(() =>
      compileCelPolicies(policy('- {expression: "true", messageExpression: "object.spec.replicas"}')),
    ).not.toThrow();
  });

  it('rejects the math and base64 extensions at load, as the API server (which enables neither) does', () => {
    expect(() => compileCelPolicies(policy('- expression: "math.greatest(1, 2) == 2"'))).toThrow(/math/);
    expect(() => compileCelPolicies(policy("- expression: \"base64.encode(b'hi') == 'aGk='\""))).toThrow(
      /base64/,
    );
  });

  it('rejects a binding to a policy that is not in the input', () => {
    const binding = docs(`
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: orphan}
spec: {policyName: missing, validationActions: [Deny]}
`);
    expect(() => compileCelPolicies(binding)).toThrow(/orphan.*no ValidatingAdmissionPolicy "missing"/);
  });
});
