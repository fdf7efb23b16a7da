import { describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { decide } from './decide.js';
import { neededKinds } from './kinds.js';
import { buildPolicy, defaultGroups } from './policy.js';
import { loadAdmissionPolicy, parseAdmissionPolicy } from './policy-load.js';
import { parseReview, ReviewError } from './review.js';
import { pod, privilegedPod, reviewBody } from './test-support.js';

const bundle = () => loadAdmissionPolicy(undefined);
const run = (body: string, policy = bundle()) => decide(parseReview(body), policy);

describe('decide', () => {
  it('denies a privileged pod under the default bundle, echoing uid and version', () => {
    for (const apiVersion of ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']) {
      const d = run(reviewBody({ apiVersion, uid: 'abc-123', object: privilegedPod() }));
      expect(d.review.apiVersion).toBe(apiVersion);
      expect(d.review.response.uid).toBe('abc-123');
      expect(d.allowed).toBe(false);
      expect(d.review.response.status?.code).toBe(403);
      expect(d.review.response.status?.message).toMatch(/^\[K8S-POD-01\] .*privileged/);
      expect(d.kind).toBe('v1/Pod');
      expect(d.username).toBe('alice');
    }
  });

  it('allows a clean pod with nothing else in the response', () => {
    const d = run(reviewBody({ object: pod('ok') }));
    expect(d.review.response).toEqual({ uid: 'uid-1', allowed: true });
    expect(d.violations).toEqual([]);
  });

  it('turns deny into warnings under --mode warn and into audit annotations under --mode audit', () => {
    const body = reviewBody({ object: privilegedPod() });
    const warned = run(body, loadAdmissionPolicy(undefined, { mode: 'warn' }));
    expect(warned.allowed).toBe(true);
    expect(warned.review.response.warnings?.[0]).toMatch(/^\[K8S-POD-01\]/);
    expect(warned.review.response.warnings?.every((w) => w.length <= 120)).toBe(true);
    const audited = run(body, loadAdmissionPolicy(undefined, { mode: 'audit' }));
    expect(audited.allowed).toBe(true);
    expect(audited.review.response.warnings).toBeUndefined();
    expect(Object.keys(audited.review.response.auditAnnotations ?? {})).toContain('k8s-pod-01');
  });

  it('acts per control and keeps the mode a ceiling', () => {
    const text = `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
controls: [K8S-POD-01, K8S-POD-02]
actions: {K8S-POD-01: warn}
defaultAction: deny
`;
    const body = reviewBody({
      object: pod('p', { securityContext: { privileged: true } }, { hostPID: true }),
    });
    const d = run(body, parseAdmissionPolicy(text, 'p.yaml'));
    expect(d.violations.map((v) => [v.control, v.action])).toEqual([
      ['K8S-POD-01', 'warn'],
      ['K8S-POD-02', 'deny'],
    ]);
    expect(d.allowed).toBe(false);
    const audit = run(body, parseAdmissionPolicy(text, 'p.yaml', { mode: 'audit' }));
    expect(audit.violations.every((v) => v.action === 'audit')).toBe(true);
  });

  it('skips exempt namespaces (kube-system and Bulkhead by default; globs), users and groups', () => {
    const priv = privilegedPod();
    expect(run(reviewBody({ namespace: 'kube-system', object: priv })).skipped).toMatch(/kube-system/);
    expect(run(reviewBody({ namespace: 'bulkhead-system', object: priv })).allowed).toBe(true);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } };
    expect(run(reviewBody({ namespace: '', object: ns })).skipped).toBe('namespace kube-system is exempt');
    const policy = parseAdmissionPolicy(
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
exemptNamespaces: ['team-*']
exemptUsers: ['system:serviceaccount:ci:*']
exemptGroups: ['breakglass:*']
`,
      'p.yaml',
    );
    expect(run(reviewBody({ namespace: 'team-a', object: priv }), policy).allowed).toBe(true);
    expect(run(reviewBody({ namespace: 'kube-system', object: priv }), policy).allowed).toBe(false);
    expect(
      run(reviewBody({ username: 'system:serviceaccount:ci:deployer', object: priv }), policy).allowed,
    ).toBe(true);
    expect(run(reviewBody({ groups: ['breakglass:oncall'], object: priv }), policy).skipped).toMatch(/group/);
    expect(run(reviewBody({ object: priv }), policy).allowed).toBe(false);
  });

  it('honours posture exceptions and refuses expired ones', () => {
    const policy = (expires: string) =>
      parseAdmissionPolicy(
        `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
exceptions:
  - {id: K8S-POD-01, reason: device plugin, namespaces: [apps], names: ['priv*'], expires: '${expires}'}
`,
        'p.yaml',
      );
    const body = reviewBody({ object: privilegedPod() });
    expect(decide(parseReview(body), policy('2099-01-01')).allowed).toBe(true);
    expect(decide(parseReview(body), policy('2020-01-01')).allowed).toBe(false);
  });

  it('evaluates DELETE and CONNECT only through extra checks, with userInfo and oldObject available', () => {
    const body = reviewBody({ operation: 'DELETE', object: null, oldObject: privilegedPod() });
    expect(run(body).allowed).toBe(true);
    const seen: string[] = [];
    const policy = bundle();
    policy.extraChecks = (r) => {
      seen.push(
        `${r.operation} ${r.userInfo.username} ${(r.request.oldObject as { kind?: string } | null)?.kind}`,
      );
      return {
        violations: [
          { control: 'no-delete', severity: 'HIGH', message: 'pods are not deleted here', action: 'deny' },
        ],
      };
    };
    const d = decide(parseReview(body), policy);
    expect(seen).toEqual(['DELETE alice Pod']);
    expect(d.allowed).toBe(false);
    expect(d.review.response.status?.message).toBe('[no-delete] pods are not deleted here');
    const both = decide(parseReview(reviewBody({ object: privilegedPod() })), policy, {
      extraChecks: () => ({
        violations: [{ control: 'cel', severity: 'LOW', message: 'from the hook', action: 'warn' }],
        auditAnnotations: { 'cel/seen': 'yes' },
      }),
    });
    expect(both.violations.map((v) => v.control)).toEqual(['K8S-POD-01', 'no-delete', 'cel']);
    expect(both.review.response.auditAnnotations).toEqual({ 'cel/seen': 'yes' });
  });

  it('applies native Gatekeeper constraints with their match and enforcementAction; PSP kinds skip UPDATE', () => {
    const policy = parseAdmissionPolicy(
      `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPPrivilegedContainer
metadata: {name: psp-privileged}
spec:
  enforcementAction: warn
  match: {kinds: [{apiGroups: [''], kinds: [Pod]}], excludedNamespaces: [legacy]}
`,
      'c.yaml',
    );
    expect(policy.groups).toEqual([]);
    const created = run(reviewBody({ object: privilegedPod() }), policy);
    expect(created.allowed).toBe(true);
    expect(created.violations).toMatchObject([
      { control: 'K8S-POD-01', action: 'warn', source: 'K8sPSPPrivilegedContainer/psp-privileged' },
    ]);
    const updated = run(
      reviewBody({ operation: 'UPDATE', object: privilegedPod(), oldObject: pod('priv') }),
      policy,
    );
    expect(updated.violations).toEqual([]);
    const legacy = privilegedPod();
    (legacy.metadata as { namespace: string }).namespace = 'legacy';
    expect(run(reviewBody({ namespace: 'legacy', object: legacy }), policy).violations).toEqual([]);
  });

  it('passes dryRun through so that callers record nothing', () => {
    expect(run(reviewBody({ dryRun: true, object: privilegedPod() })).dryRun).toBe(true);
  });
});

describe('policy loading', () => {
  it('the default bundle is PSS baseline plus the Critical single-object controls', () => {
    const [baseline, critical] = defaultGroups();
    expect(baseline?.standard).toBe('pss-baseline');
    expect(baseline?.controls).toContain('K8S-POD-01');
    expect(critical?.controls).toContain('K8S-POD-08');
    expect(bundle().exemptNamespaces).toEqual(['kube-system', 'bulkhead-system']);
  });

  it('keeps ValidatingAdmissionPolicies, bindings, templates, other constraints and params for CEL', () => {
    const policy = parseAdmissionPolicy(
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
standard: pss-restricted
mode: warn
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations: [{expression: 'object.spec.replicas <= 5'}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas}
spec: {policyName: replicas, validationActions: [Deny]}
---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8scustom}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sCustom
metadata: {name: custom}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sBlockNodePort
metadata: {name: no-nodeport}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: limits}
data: {max: '5'}
`,
      'multi.yaml',
    );
    expect(policy.mode).toBe('warn');
    expect(policy.groups).toEqual([expect.objectContaining({ standard: 'pss-restricted' })]);
    expect(policy.constraints.map((c) => c.kind)).toEqual(['K8sBlockNodePort']);
    expect(policy.celDocuments.map((d) => (d as { kind: string }).kind)).toEqual([
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'ConstraintTemplate',
      'K8sCustom',
      'ConfigMap',
    ]);
    expect(policy.extraChecks).toBeDefined();
    // a template without a CEL body evaluates nothing: its constraint is named, never passed silently
    expect(policy.unevaluated).toEqual(['K8sCustom/custom']);
  });

  it('accepts a posture KubernetesPolicy as is, with its standard and parameters', () => {
    const policy = parseAdmissionPolicy(
      'apiVersion: bulkhead.dev/v1\nkind: KubernetesPolicy\nstandard: cis\nparameters: {minUserId: 2000}\n',
      'k.yaml',
    );
    expect(policy.groups[0]?.standard).toBe('cis');
    expect(policy.parameters.minUserId).toBe(2000);
  });

  it('refuses bad input with the file and the problem', () => {
    const bad = (text: string) => () => parseAdmissionPolicy(text, 'bad.yaml');
    expect(bad('apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ncontrols: [K8S-NOPE-1]\n')).toThrow(
      /unknown control K8S-NOPE-1/,
    );
    expect(bad('apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ndefaultAction: block\n')).toThrow(
      /defaultAction/,
    );
    expect(bad('a: [1, 2\n')).toThrow(UserInputError);
    expect(bad('- 1\n- 2\n')).toThrow(/not a Kubernetes-style object/);
    expect(bad('')).toThrow(/no policy document/);
    expect(
      bad(
        'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\n---\napiVersion: bulkhead.dev/v1\nkind: KubernetesPolicy\n',
      ),
    ).toThrow(/second KubernetesPolicy/);
    expect(() => buildPolicy({ fields: { actions: { 'K8S-X': 'deny' } } }, 'x')).toThrow(/K8S-X/);
  });
});

describe('parseReview', () => {
  it('names what is wrong with a body that is not a usable AdmissionReview', () => {
    const bad = (body: string | Uint8Array) => () => parseReview(body);
    expect(bad('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionRev')).toThrow(/not valid JSON/);
    expect(bad('{"apiVersion":"v1","kind":"Pod"}')).toThrow(/kind is "Pod"/);
    expect(bad('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}')).toThrow(/no request/);
    expect(bad(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toThrow(/UTF-8/);
    expect(bad(`${'['.repeat(500)}${']'.repeat(500)}`)).toThrow(ReviewError);
    const deep = JSON.parse(reviewBody({}));
    let node = deep.request.object.metadata;
    for (let i = 0; i < 200; i++) node = node.n = {};
    expect(bad(JSON.stringify(deep))).toThrow(/deeper than/);
    expect(bad(reviewBody({ uid: '' }))).toThrow(/uid/);
  });
});

describe('custom checks of the policy file at admission', () => {
  const text = `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
actions: {registry: warn}
celChecks:
- id: team-label
  title: Pods carry a team label
  severity: LOW
  kinds: [Pod]
  cel: "has(object.metadata.labels) && 'team' in object.metadata.labels"
  message: the team label is missing
customChecks:
  registry:
    failureMessage: Pull from registry.local
    severity: warning
    target: Container
    schema: {properties: {image: {pattern: '^registry\\.local/'}}}
`;

  it('deny and warn by their ids beside the default bundle, and pass a compliant pod', () => {
    const policy = parseAdmissionPolicy(text, 'p.yaml');
    const d = run(reviewBody({ object: pod('web', { image: 'docker.io/app:1' }) }), policy);
    expect(d.allowed).toBe(false);
    expect(d.review.response.status?.message).toBe('[team-label] the team label is missing');
    expect(d.violations.map((v) => [v.control, v.severity, v.action])).toEqual([
      ['registry', 'MEDIUM', 'warn'],
      ['team-label', 'LOW', 'deny'],
    ]);
    expect(d.review.response.warnings).toEqual([
      '[registry] container "app": Pull from registry.local (/image must match pattern "^registry\\.local/")',
    ]);
    const labelled = pod('ok');
    (labelled.metadata as Record<string, unknown>).labels = { team: 'a' };
    expect(run(reviewBody({ object: labelled }), policy).violations).toEqual([]);
    expect(neededKinds(policy).map((k) => k.kind)).toContain('Pod');
  });

  it('run only when listed once `controls` chooses, and name the file on a bad check', () => {
    const listed = parseAdmissionPolicy(`${text}controls: [K8S-POD-01, registry]\n`, 'p.yaml');
    const d = run(reviewBody({ object: pod('web', { image: 'docker.io/app:1' }) }), listed);
    expect(d.violations.map((v) => v.control)).toEqual(['registry']);
    expect(() => parseAdmissionPolicy(`${text}    extra: 1\n`, 'p.yaml')).toThrow(
      'p.yaml: customChecks.registry: unknown field "extra"',
    );
  });
});
