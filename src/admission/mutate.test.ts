import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type KubeObject } from '../hardening/kubernetes/index.js';
import { webhookCertificates } from '../tls/certificates.js';
import { decide } from './decide.js';
import { mutate, policyMutates } from './mutate.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';
import { type RunningServer, startAdmissionServer } from './server.js';
import { httpsRequest, pod, reviewBody } from './test-support.js';

/** Restricted Pod Security, with the defaults that make a plain Pod meet it. */
const RESTRICTED = `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
standard: pss-restricted
defaults:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  seccompProfile: RuntimeDefault
  dropAllCapabilities: true
  allowPrivilegeEscalation: false
  labels: {bulkhead.dev/defaulted: "true"}
`;

const policyOf = (text: string, mode?: 'audit' | 'warn' | 'enforce') =>
  parseAdmissionPolicy(text, 'policy.yaml', mode ? { mode } : {});

/** The response's JSONPatch, decoded. */
function patchOf(response: { patchType?: string; patch?: string }): Operation[] {
  expect(response.patchType).toBe('JSONPatch');
  return JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as Operation[];
}

/** Failing Pod Security Standards restricted rows of a Pod. */
const restrictedFailures = (object: unknown) =>
  evaluate([{ object: object as KubeObject, source: {} }], { standard: 'pss-restricted' })
    .filter((r) => r.status === 'fail')
    .map((r) => r.control);

describe('mutation at admission', () => {
  it('fills the defaults a plain Pod lacks: the patch applies cleanly and the Pod then passes restricted', () => {
    const policy = policyOf(RESTRICTED);
    expect(policyMutates(policy)).toBe(true);
    const plain = pod('web');
    expect(restrictedFailures(plain).length).toBeGreaterThan(0);
    const m = mutate(parseReview(reviewBody({ object: plain })), policy);
    expect(m.applied).toEqual([
      'defaults/allowPrivilegeEscalation',
      'defaults/dropAllCapabilities',
      'defaults/labels',
      'defaults/runAsGroup',
      'defaults/runAsNonRoot',
      'defaults/runAsUser',
      'defaults/seccompProfile',
    ]);
    const patched = jsonPatch.applyPatch(structuredClone(plain), patchOf(m.review.response), true, false)
      .newDocument as Record<string, unknown>;
    expect(restrictedFailures(patched)).toEqual([]);
    expect(decide(parseReview(reviewBody({ object: patched })), policy).allowed).toBe(true);
    expect(decide(parseReview(reviewBody({ object: plain })), policy).allowed).toBe(false);
  });

  it('never overwrites what the object sets', () => {
    const own = pod(
      'web',
      { securityContext: { capabilities: { drop: ['NET_RAW'] } } },
      {
        securityContext: { runAsUser: 1000 },
      },
    );
    const m = mutate(parseReview(reviewBody({ object: own })), policyOf(RESTRICTED));
    const patched = jsonPatch.applyPatch(structuredClone(own), patchOf(m.review.response)).newDocument as {
      spec: { securityContext: Record<string, unknown>; containers: { securityContext: unknown }[] };
    };
    expect(patched.spec.securityContext.runAsUser).toBe(1000);
    expect(patched.spec.containers[0]!.securityContext).toEqual({
      capabilities: { drop: ['NET_RAW', 'ALL'] },
      allowPrivilegeEscalation: false,
    });
  });

  it('fills pod templates of controllers, and leaves a running Pod (UPDATE) unpatched but for labels', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: pod('x').spec } },
    };
    const m = mutate(parseReview(reviewBody({ object: deployment })), policyOf(RESTRICTED));
    expect(patchOf(m.review.response).map((o) => o.path)).toContain('/spec/template/spec/securityContext');
    const update = mutate(
      parseReview(reviewBody({ operation: 'UPDATE', object: pod('web'), oldObject: pod('web') })),
      policyOf(RESTRICTED),
    );
    expect(update.applied).toEqual(['defaults/labels']);
  });

  it('audit mode patches nothing and names what it would have changed', () => {
    const m = mutate(parseReview(reviewBody({ object: pod('web') })), policyOf(RESTRICTED, 'audit'));
    expect(m.review.response.patch).toBeUndefined();
    expect(m.review.response.auditAnnotations?.['would-mutate']).toContain('defaults/runAsUser');
    expect(m.review.response.allowed).toBe(true);
  });

  it('answers exempt namespaces and DELETE without evaluation or patch', () => {
    const exempt = mutate(
      parseReview(reviewBody({ namespace: 'kube-system', object: pod('p') })),
      policyOf(RESTRICTED),
    );
    expect(exempt.skipped).toBe('namespace kube-system is exempt');
    expect(exempt.review.response).toEqual({ uid: 'uid-1', allowed: true });
    const gone = mutate(
      parseReview(reviewBody({ operation: 'DELETE', object: null, oldObject: pod('p') })),
      policyOf(RESTRICTED),
    );
    expect(gone.review.response).toEqual({ uid: 'uid-1', allowed: true });
  });

  it('runs Kyverno mutate rules of the policy file; a failing rule is a warning, the others still apply', () => {
    const policy = policyOf(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: team}
spec:
  rules:
  - name: add-team
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): "{{ request.namespace }}"
  - name: broken
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchesJson6902: |-
        - {op: replace, path: /spec/nodeName, value: n1}
`);
    expect(policy.unevaluated).toEqual([]);
    const m = mutate(parseReview(reviewBody({ object: pod('web') })), policy);
    expect(m.applied).toEqual(['team/add-team']);
    expect(patchOf(m.review.response)).toEqual([
      { op: 'add', path: '/metadata/labels', value: { team: 'apps' } },
    ]);
    expect(m.review.response.warnings).toEqual([
      expect.stringMatching(/^\[mutation failed\] team\/broken: /),
    ]);
  });

  it('refuses an unknown default or a bad value at load, naming it', () => {
    const base = 'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ndefaults:\n';
    expect(() => policyOf(`${base}  runAsUserId: 5\n`)).toThrow(/policy\.yaml.*runAsUserId/);
    expect(() => policyOf(`${base}  runAsUser: 0\n`)).toThrow(/policy\.yaml.*runAsUser/);
    expect(policyMutates(policyOf('apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\n'))).toBe(false);
  });
});

describe('POST /mutate over HTTPS', () => {
  let dir: string;
  let server: RunningServer;
  let ca: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-mutate-'));
    const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    ca = certs.caCert;
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    server = await startAdmissionServer({
      policy: policyOf(RESTRICTED),
      port: 0,
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      tlsPollMs: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with a JSONPatch that makes the Pod pass /validate, and counts it in /metrics', async () => {
    const plain = pod('web');
    const res = await httpsRequest(`${server.url}/mutate`, ca, reviewBody({ uid: 'm-1', object: plain }));
    expect(res.status).toBe(200);
    const review = res.json() as {
      response: { uid: string; allowed: boolean; patchType?: string; patch?: string };
    };
    expect(review.response).toMatchObject({ uid: 'm-1', allowed: true, patchType: 'JSONPatch' });
    const patched = jsonPatch.applyPatch(
      structuredClone(plain),
      patchOf(review.response),
      true,
      false,
    ).newDocument;
    expect(restrictedFailures(patched)).toEqual([]);
    const checked = await httpsRequest(`${server.url}/validate`, ca, reviewBody({ object: patched }));
    expect((checked.json() as { response: { allowed: boolean } }).response.allowed).toBe(true);
    const metrics = await httpsRequest(`${server.url}/metrics`, ca);
    expect(metrics.text).toContain('bulkhead_admission_mutations_total{mutation="defaults/runAsUser"} 1');
    const bad = await httpsRequest(`${server.url}/mutate`, ca, '{"kind":"Pod"}');
    expect(bad.status).toBe(400);
  });
});
