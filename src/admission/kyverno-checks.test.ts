import { describe, expect, it } from 'vitest';
import type { LoadedObject } from '../hardening/kubernetes/index.js';
import { auditObjects } from './audit.js';
import { decide } from './decide.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';
import { pod, reviewBody } from './test-support.js';

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
  annotations:
    policies.kyverno.io/severity: medium
spec:
  validationFailureAction: Enforce
  rules:
  - name: require-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "An image tag is required."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Audit
  rules:
  - name: team-label
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "label team is required"
      pattern:
        metadata:
          labels:
            team: "?*"
  - name: add-team
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): none
`;

const policy = (mode?: 'audit' | 'warn' | 'enforce') =>
  parseAdmissionPolicy(POLICIES, 'kyverno.yaml', mode ? { mode } : {});

describe('Kyverno policies in an admission policy input', () => {
  it('denies under Enforce, audits under Audit, naming policy and rule', () => {
    const d = decide(parseReview(reviewBody({ object: pod('p', { image: 'nginx:latest' }) })), policy());
    expect(d.allowed).toBe(false);
    expect(d.violations.map((v) => [v.control, v.action, v.severity])).toEqual([
      ['disallow-latest-tag/require-image-tag', 'deny', 'MEDIUM'],
      ['require-team/team-label', 'audit', 'UNKNOWN'],
    ]);
    expect(d.review.response.status?.message).toContain('An image tag is required.');
  });

  it('allows a conforming pod, and --mode warn caps Enforce', () => {
    const ok = pod('p', { image: 'nginx:1.27' });
    (ok.metadata as Record<string, unknown>).labels = { team: 'a' };
    expect(decide(parseReview(reviewBody({ object: ok })), policy()).violations).toEqual([]);
    const warned = decide(
      parseReview(reviewBody({ object: pod('p', { image: 'x:latest' }) })),
      policy('warn'),
    );
    expect(warned.allowed).toBe(true);
    expect(warned.review.response.warnings?.join(' ')).toContain('disallow-latest-tag/require-image-tag');
  });

  it('names the rules it does not evaluate, with a reason code; a mutate rule it applies is not one', () => {
    expect(policy().unevaluated).toEqual([]);
    const existing = parseAdmissionPolicy(
      POLICIES.replace(
        '    mutate:\n',
        '    mutate:\n      targets: [{apiVersion: v1, kind: ConfigMap, name: c}]\n',
      ),
      'kyverno.yaml',
    );
    expect(existing.unevaluated).toEqual([
      'ClusterPolicy/require-team rule add-team: mutate existing (targets) (mutation)',
    ]);
  });

  it('audits existing pod controllers through autogen', () => {
    const deployment: LoadedObject = {
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 'apps' },
        spec: {
          template: { metadata: { labels: { team: 'a' } }, spec: { containers: [{ image: 'a:latest' }] } },
        },
      },
      source: { file: 'd.yaml' },
    };
    const results = auditObjects([deployment], { ...policy(), groups: [] });
    expect(results.results.map((r) => [r.control, r.status])).toEqual([
      ['disallow-latest-tag/autogen-require-image-tag', 'fail'],
    ]);
  });
});

describe("Kyverno's CEL ValidatingPolicy in an admission policy input", () => {
  const text = (expression: string, actions = '[Deny]') => `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: no-latest}
spec:
  validationActions: ${actions}
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  validations:
  - expression: "${expression}"
    message: "images must not use :latest"
`;

  it('runs through the CEL engine with its validationActions', () => {
    const p = parseAdmissionPolicy(
      text("object.spec.containers.all(c, !c.image.endsWith(':latest'))"),
      'vp.yaml',
    );
    expect(p.unevaluated).toEqual([]);
    const bad = decide(parseReview(reviewBody({ object: pod('p', { image: 'a:latest' }) })), p);
    expect(bad.allowed).toBe(false);
    expect(bad.violations.map((v) => [v.control, v.action, v.message])).toEqual([
      ['no-latest', 'deny', 'images must not use :latest'],
    ]);
    expect(decide(parseReview(reviewBody({ object: pod('p', { image: 'a:1' }) })), p).allowed).toBe(true);
    const warn = parseAdmissionPolicy(
      text("object.spec.containers.all(c, !c.image.endsWith(':latest'))", '[Warn]'),
      'vp.yaml',
    );
    expect(decide(parseReview(reviewBody({ object: pod('p', { image: 'a:latest' }) })), warn).allowed).toBe(
      true,
    );
  });

  it('names a policy whose expressions use what the CEL engine does not have', () => {
    const p = parseAdmissionPolicy(text("resource.Get('v1', 'configmaps', 'ns', 'x') != null"), 'vp.yaml');
    expect(p.unevaluated).toHaveLength(1);
    expect(p.unevaluated[0]).toMatch(/^ValidatingPolicy\/no-latest: .*\(unsupported-feature\)$/);
  });
});
