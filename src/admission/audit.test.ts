import { describe, expect, it } from 'vitest';
import { loadObjects } from '../hardening/kubernetes/index.js';
import { auditObjects } from './audit.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { privilegedPod } from './test-support.js';

describe('auditObjects', () => {
  it('applies the bundle, the constraints and the exemptions of the policy to existing objects', () => {
    const system = privilegedPod('sys');
    (system.metadata as { namespace: string }).namespace = 'kube-system';
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'np', namespace: 'apps' },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    };
    const text = [privilegedPod('a'), privilegedPod('b'), system, service]
      .map((o) => JSON.stringify(o))
      .join('\n---\n');
    const { objects } = loadObjects([{ name: 'objects.yaml', text }]);
    const policy = parseAdmissionPolicy(
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
controls: [K8S-POD-01]
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sBlockNodePort
metadata: {name: no-nodeport}
`,
      'policy.yaml',
    );
    const failing = auditObjects(objects, policy).results.filter((r) => r.status === 'fail');
    expect(failing.map((r) => `${r.control} ${r.resource.id}`).sort()).toEqual([
      'K8S-NET-09 apps/Service/np',
      'K8S-POD-01 apps/Pod/a',
      'K8S-POD-01 apps/Pod/b',
    ]);
  });

  it('runs the policy extra checks (CEL) on each object as a CREATE request', () => {
    const { objects } = loadObjects([{ name: 'p.yaml', text: JSON.stringify(privilegedPod('x')) }]);
    const policy = parseAdmissionPolicy(
      'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ncontrols: []\n',
      'p.yaml',
    );
    const seen: string[] = [];
    policy.extraChecks = (r) => {
      seen.push(`${r.operation} ${r.kind} ${r.namespace}/${r.name}`);
      return {
        violations: [
          {
            control: 'no-x',
            severity: 'medium',
            message: 'x is not welcome',
            action: 'deny',
            source: 'ValidatingAdmissionPolicy/x',
          },
        ],
      };
    };
    const results = auditObjects(objects, policy).results;
    expect(seen).toEqual(['CREATE v1/Pod apps/x']);
    expect(results).toMatchObject([
      {
        control: 'no-x',
        severity: 'MEDIUM',
        status: 'fail',
        title: 'ValidatingAdmissionPolicy/x',
        message: 'x is not welcome',
      },
    ]);
  });

  it('gives the extra checks the Namespace of each object, from the objects or the context', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { env: 'prod' } } };
    const { objects } = loadObjects([{ name: 'p.yaml', text: JSON.stringify(privilegedPod('x')) }]);
    const context = loadObjects([{ name: 'ns.yaml', text: JSON.stringify(ns) }]).objects;
    const policy = parseAdmissionPolicy(
      'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ncontrols: []\n',
      'p',
    );
    const seen: unknown[] = [];
    policy.extraChecks = (_r, c) => {
      seen.push(c?.namespaceObject);
      return { violations: [] };
    };
    auditObjects(objects, policy, { context });
    auditObjects(objects, policy);
    expect(seen).toEqual([expect.objectContaining({ metadata: ns.metadata }), undefined]);
  });

  it('a ValidatingAdmissionPolicy selects existing objects by resource and namespace labels', () => {
    const policy = parseAdmissionPolicy(
      `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-latest-in-prod}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
    namespaceSelector: {matchLabels: {env: prod}}
  validations:
  - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
    message: no latest in prod
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-latest-in-prod}
spec: {policyName: no-latest-in-prod, validationActions: [Deny]}
`,
      'vap.yaml',
    );
    const latest = (ns: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${ns}`, namespace: ns },
      spec: { containers: [{ name: 'a', image: 'nginx:latest' }] },
    });
    const namespace = (name: string, env: string) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { env } },
    });
    const text = [latest('apps'), latest('dev'), namespace('apps', 'prod'), namespace('dev', 'dev')]
      .map((o) => JSON.stringify(o))
      .join('\n---\n');
    const { objects } = loadObjects([{ name: 'objects.yaml', text }]);
    const failing = auditObjects(objects, policy).results.filter((r) => r.status === 'fail');
    expect(failing.map((r) => `${r.control} ${r.resource.id}`)).toEqual([
      'no-latest-in-prod apps/Pod/web-apps',
    ]);
  });

  it("reports the policy file's custom checks with their id, severity, message and remediation", () => {
    const { objects } = loadObjects([{ name: 'objects.yaml', text: JSON.stringify(privilegedPod('a')) }]);
    const policy = parseAdmissionPolicy(
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
controls: [team-label]
celChecks:
- {id: team-label, title: Team label, severity: HIGH, cel: "has(object.metadata.labels)", message: no labels, remediation: Label it}
`,
      'policy.yaml',
    );
    const results = auditObjects(objects, policy).results;
    expect(results.map((r) => [r.control, r.status, r.severity, r.message, r.remediation])).toEqual([
      ['team-label', 'fail', 'HIGH', 'no labels', 'Label it'],
    ]);
  });
});
