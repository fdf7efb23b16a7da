import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../hardening/kubernetes/index.js';
import {
  type FakeApiServer,
  startFakeApiServer,
  testCertificate,
} from '../hardening/kubernetes/live/test-support.js';
import { decide } from './decide.js';
import { NamespaceCache, policyNeedsNamespaces } from './namespaces.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';
import { privilegedPod, reviewBody } from './test-support.js';

const namespace = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPPrivilegedContainer
metadata: {name: prod-only}
spec:
  match:
    kinds: [{apiGroups: [''], kinds: [Pod]}]
    namespaceSelector: {matchLabels: {env: prod}}
`;

describe('NamespaceCache', () => {
  let api: FakeApiServer;
  let dir: string;
  const cluster = [namespace('apps', { env: 'prod' }), namespace('dev', {}), namespace('tools', {})];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-admission-ns-'));
    api = await startFakeApiServer(cluster);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every page, replaces the map on refresh, and keeps it when a refresh fails', async () => {
    const cache = new NamespaceCache({ source: { kubeconfig: api.kubeconfig(dir) }, pageSize: 2 });
    await cache.refresh();
    expect(cache.size).toBe(3);
    expect(cache.lookup('apps')?.metadata.labels).toEqual({ env: 'prod' });
    expect(api.requests).toContain('/api/v1/namespaces?limit=2&continue=2');
    cluster.push(namespace('late', { env: 'dev' }));
    await cache.refresh();
    expect(cache.lookup('late')?.metadata.labels).toEqual({ env: 'dev' });
    expect(cache.refreshes).toBe(2);

    const refused = new NamespaceCache({ source: { kubeconfig: api.kubeconfig(dir, 'wrong') } });
    await expect(refused.refresh()).rejects.toThrow(/refused to list namespaces/);
    expect(refused.refreshErrors).toBe(1);
    const errors: Error[] = [];
    const closed = await startFakeApiServer([namespace('x', {})]);
    const failing = new NamespaceCache({
      source: { kubeconfig: closed.kubeconfig(dir) },
      refreshSeconds: 3600,
      onError: (e) => errors.push(e),
    });
    await failing.start();
    expect(failing.lookup('x')).toBeDefined();
    await closed.close();
    await failing.refresh().catch((e: Error) => errors.push(e));
    await failing.stop();
    expect(errors).toHaveLength(1);
    expect(failing.refreshErrors).toBe(1);
    expect(failing.lookup('x')).toBeDefined();
  });

  it('--in-cluster: the service account token and CA at the standard paths, the API server from the environment', async () => {
    const root = join(dir, 'pod');
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'test-token');
    writeFileSync(join(sa, 'ca.crt'), testCertificate().cert);
    const url = new URL(api.url);
    const keys = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
    const saved = keys.map((k) => process.env[k]);
    try {
      process.env.KUBERNETES_SERVICE_HOST = url.hostname;
      process.env.KUBERNETES_SERVICE_PORT = url.port;
      const cache = new NamespaceCache({ source: { inCluster: true, serviceAccountRoot: root } });
      await cache.refresh();
      expect(cache.lookup('apps')?.metadata.labels).toEqual({ env: 'prod' });
      delete process.env.KUBERNETES_SERVICE_HOST;
      expect(() => new NamespaceCache({ source: { inCluster: true, serviceAccountRoot: root } })).toThrow(
        /not running in a pod/,
      );
    } finally {
      keys.forEach((k, i) => {
        if (saved[i] === undefined) delete process.env[k];
        else process.env[k] = saved[i];
      });
    }
  });
});

describe('deciding with the Namespace', () => {
  const policy = parseAdmissionPolicy(CONSTRAINT, 'policy.yaml');
  const review = (ns: string) => {
    const object = privilegedPod();
    (object.metadata as { namespace: string }).namespace = ns;
    return parseReview(reviewBody({ namespace: ns, object }));
  };

  it('a constraint namespaceSelector reads the given Namespace; without it, it does not select', () => {
    expect(
      decide(review('apps'), policy, { namespaceObject: namespace('apps', { env: 'prod' }) }).allowed,
    ).toBe(false);
    expect(
      decide(review('apps'), policy, { namespaceObject: namespace('apps', { env: 'dev' }) }).allowed,
    ).toBe(true);
    expect(decide(review('apps'), policy).allowed).toBe(true);
  });

  it('extra checks get namespaceObject, but not for a request for a Namespace', () => {
    const seen: unknown[] = [];
    const extraChecks = (_r: unknown, context?: { namespaceObject?: unknown }) => {
      seen.push(context?.namespaceObject);
      return { violations: [] };
    };
    const ns = namespace('apps', { env: 'prod' });
    decide(review('apps'), policy, { namespaceObject: ns, extraChecks });
    const forNamespace = parseReview(
      reviewBody({ namespace: '', object: namespace('apps', { env: 'prod' }) as Record<string, unknown> }),
    );
    decide(forNamespace, policy, { namespaceObject: namespace('other', {}), extraChecks });
    expect(seen).toEqual([ns, undefined]);
  });

  it('policyNeedsNamespaces: namespaceSelector in constraints, VAPs and bindings, namespaceObject in CEL', () => {
    expect(policyNeedsNamespaces(policy)).toBe(true);
    const vap = (extra: string, expression = 'true') =>
      parseAdmissionPolicy(
        `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
${extra}
  validations: [{expression: "${expression}"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: b}
spec: {policyName: p, validationActions: [Deny]}
`,
        'vap.yaml',
      );
    expect(policyNeedsNamespaces(vap(''))).toBe(false);
    expect(policyNeedsNamespaces(vap('    namespaceSelector: {matchLabels: {a: b}}'))).toBe(true);
    expect(policyNeedsNamespaces(vap('', "namespaceObject.metadata.name != 'x'"))).toBe(true);
    expect(
      policyNeedsNamespaces(
        parseAdmissionPolicy('apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\n', 'p'),
      ),
    ).toBe(false);
  });
});
