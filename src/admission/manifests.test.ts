import { describe, expect, it } from 'vitest';
import { webhookCertificates } from '../tls/certificates.js';
import { serviceDnsNames, webhookManifests } from './manifests.js';
import { parseAdmissionPolicy } from './policy-load.js';

type Doc = Record<string, unknown> & { webhooks?: Record<string, unknown>[] };

const certificates = webhookCertificates(serviceDnsNames('bulkhead-admission', 'bulkhead-system'));

const manifestsOf = (policyText: string) =>
  webhookManifests({
    policy: parseAdmissionPolicy(policyText, 'policy.yaml'),
    certificates,
    namespace: 'bulkhead-system',
    name: 'bulkhead-admission',
    image: 'bulkhead:test',
    failurePolicy: 'Ignore',
    policyText,
  }) as Doc[];

const resourcesOf = (webhook: Record<string, unknown>) =>
  (webhook.rules as { resources: string[] }[]).flatMap((r) => r.resources);

describe('admission manifests and mutation', () => {
  it('adds a MutatingWebhookConfiguration on /mutate, with the same CA and exemptions, when the policy mutates', () => {
    const docs = manifestsOf(`apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
defaults: {runAsUser: 65532, dropAllCapabilities: true}
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: safe-to-evict}
spec:
  rules:
  - name: annotate
    match: {any: [{resources: {kinds: [Service]}}]}
    mutate: {patchStrategicMerge: {metadata: {annotations: {+(a): b}}}}
`);
    const validating = docs.find((d) => d.kind === 'ValidatingWebhookConfiguration')!.webhooks![0]!;
    const mutating = docs.find((d) => d.kind === 'MutatingWebhookConfiguration')!.webhooks![0]!;
    expect(mutating).toMatchObject({
      name: 'mutate.admission.bulkhead.dev',
      clientConfig: {
        service: { path: '/mutate', port: 443 },
        caBundle: (validating.clientConfig as Doc).caBundle,
      },
      sideEffects: 'None',
      reinvocationPolicy: 'IfNeeded',
      namespaceSelector: validating.namespaceSelector,
    });
    expect(resourcesOf(mutating).sort()).toEqual(
      [
        'cronjobs',
        'daemonsets',
        'deployments',
        'jobs',
        'pods',
        'pods/ephemeralcontainers',
        'replicasets',
        'replicationcontrollers',
        'services',
        'statefulsets',
      ].sort(),
    );
  });

  it('has no mutating webhook when the policy changes nothing', () => {
    const docs = manifestsOf(
      'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\nstandard: pss-restricted\n',
    );
    expect(docs.some((d) => d.kind === 'MutatingWebhookConfiguration')).toBe(false);
  });
});
