import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { httpsRequest, pod, privilegedPod, reviewBody } from '../../src/admission/test-support.js';
import { evaluate, type KubeObject, loadObjects } from '../../src/hardening/kubernetes/index.js';
import { startFakeApiServer } from '../../src/hardening/kubernetes/live/test-support.js';
import { listAdmissionDecisions } from '../../src/store/admission-decisions.js';
import { openStore } from '../../src/store/index.js';
import { webhookCertificates } from '../../src/tls/certificates.js';
import { CLI, REPO_ROOT, runBuiltCli } from './cli-support.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of a known shape, read field by field
type Doc = Record<string, any>;

/**
 * `bulkhead admission serve` as a process, with a certificate made for it (files `<name>.crt`/`.key` in `home`):
 * resolves once it says "ready on URL", with its output so far (kept up to date) and its exit.
 */
async function startServe(home: string, name: string, args: string[]) {
  const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
  const [cert, key] = [join(home, `${name}.crt`), join(home, `${name}.key`)];
  writeFileSync(cert, certs.cert);
  writeFileSync(key, certs.key);
  const child = spawn(
    process.execPath,
    [CLI, '--home', home, 'admission', 'serve', '--port', '0', '--tls-cert', cert, '--tls-key', key, ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    out.stdout += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      out.stderr += d;
      const m = /ready on (https:\/\/\S+)/.exec(out.stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(out.stderr)));
  });
  return { child, url, ca: certs.caCert, out, exited };
}

describe('bulkhead admission (built CLI)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-admission-cli-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const cli = (args: string[], input?: string) =>
    runBuiltCli(['--home', home, ...args], input === undefined ? {} : { input });

  it('review: prints the AdmissionReview response and gates with --exit-code', async () => {
    const denied = await cli(
      ['--format', 'json', 'admission', 'review', '--exit-code', '-'],
      reviewBody({ uid: 'x-1', object: privilegedPod() }),
    );
    expect(denied.code).toBe(1);
    const doc = JSON.parse(denied.stdout);
    expect(doc).toMatchObject({
      kind: 'AdmissionReview',
      apiVersion: 'admission.k8s.io/v1',
      response: { uid: 'x-1', allowed: false, status: { code: 403 } },
    });
    const warned = await cli(
      ['admission', 'review', '--mode', 'warn', '--exit-code'],
      reviewBody({ object: privilegedPod() }),
    );
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/warn\s+K8S-POD-01/);
    const allowed = await cli(['admission', 'review', '--exit-code'], reviewBody({ object: pod('ok') }));
    expect(allowed.code).toBe(0);
  });

  it('review: a body that is not an AdmissionReview is a one-line input error (exit 2)', async () => {
    const bad = await cli(['admission', 'review', '-'], '{"kind":"Pod"');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/not valid JSON/);
    const mode = await cli(['admission', 'review', '--mode', 'block', '-'], reviewBody({}));
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/--mode/);
  });

  it('review --policy: a ValidatingAdmissionPolicy denies through CEL; a broken expression is exit 2 naming it', async () => {
    const policy = join(home, 'vap.yaml');
    const vap = (expression: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-latest.example.com}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations:
  - expression: "${expression}"
    message: images are pinned, never :latest
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-latest}
spec: {policyName: no-latest.example.com, validationActions: [Deny]}
`;
    writeFileSync(policy, vap("object.spec.containers.all(c, !c.image.endsWith(':latest'))"));
    const latest = pod('web', { image: 'nginx:latest' });
    const denied = await cli(
      ['--format', 'json', 'admission', 'review', '--policy', policy, '--exit-code', '-'],
      reviewBody({ object: latest }),
    );
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).response.status.message).toBe(
      '[no-latest.example.com] images are pinned, never :latest',
    );
    const pinned = await cli(['admission', 'review', '--policy', policy, '--exit-code', '-'], reviewBody({}));
    expect(pinned.code).toBe(0);
    writeFileSync(policy, vap('object.spec.containers.all(c, '));
    const broken = await cli(['admission', 'review', '--policy', policy, '-'], reviewBody({}));
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/no-latest\.example\.com.*object\.spec\.containers\.all\(c, /);
  });

  it("review --policy: the policy file's CEL and Polaris custom checks deny by their id", async () => {
    const policy = join(home, 'custom.yaml');
    writeFileSync(
      policy,
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
controls: [pinned, limits]
celChecks:
- id: pinned
  title: Images are pinned
  severity: HIGH
  kinds: [Pod]
  cel: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
  message: images are pinned, never :latest
customChecks:
  limits:
    failureMessage: Set a memory limit
    target: Container
    schema: {required: [resources], properties: {resources: {required: [limits]}}}
`,
    );
    const denied = await cli(
      ['--format', 'json', 'admission', 'review', '--policy', policy, '--exit-code', '-'],
      reviewBody({ object: pod('web', { image: 'nginx:latest', resources: { limits: { memory: '1Gi' } } }) }),
    );
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).response.status.message).toBe(
      '[pinned] images are pinned, never :latest',
    );
    const unlimited = await cli(
      ['--format', 'json', 'admission', 'review', '--policy', policy, '--exit-code', '-'],
      reviewBody({}),
    );
    expect(JSON.parse(unlimited.stdout).response.status.message).toMatch(
      /^\[limits\] container "app": Set a memory limit/,
    );
  });

  it('manifests: parse, need only the policy kinds, and pass the posture engine without Critical/High failures', async () => {
    const policyFile = join(home, 'policy.yaml');
    writeFileSync(
      policyFile,
      'apiVersion: bulkhead.dev/v1\nkind: AdmissionPolicy\ncontrols: [K8S-NET-08, K8S-NET-09]\nexemptNamespaces: [kube-system, "team-*"]\n',
    );
    const run = await cli(['admission', 'manifests', '--policy', policyFile, '--failure-policy', 'Fail']);
    expect(run.code).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS() as Doc);
    expect(docs.map((d) => d.kind)).toEqual([
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'ValidatingWebhookConfiguration',
    ]);
    const hook = docs.at(-1)!.webhooks[0];
    expect(hook).toMatchObject({
      failurePolicy: 'Fail',
      sideEffects: 'None',
      timeoutSeconds: 3,
      rules: [{ apiGroups: [''], operations: ['CREATE', 'UPDATE'], resources: ['services'] }],
      namespaceSelector: { matchExpressions: [{ operator: 'NotIn', values: ['kube-system'] }] },
    });
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    expect(deployment.spec.replicas).toBe(2);
    const secret = docs.find((d) => d.kind === 'Secret')!;
    expect(Buffer.from(hook.clientConfig.caBundle, 'base64').toString()).toBe(
      Buffer.from(secret.data['ca.crt'], 'base64').toString(),
    );
    const { objects, errors } = loadObjects([{ name: 'manifests', text: run.stdout }]);
    expect(errors).toEqual([]);
    const serious = evaluate(objects).filter(
      (r) => r.status === 'fail' && (r.severity === 'CRITICAL' || r.severity === 'HIGH'),
    );
    expect(serious.map((r) => `${r.control} ${r.resource.id}: ${r.message}`)).toEqual([]);
    // the default bundle asks for the pod-spec kinds only
    const plain = await cli(['admission', 'manifests']);
    const kinds = (parseAllDocuments(plain.stdout).at(-1)!.toJS() as Doc).webhooks[0].rules;
    expect(kinds.flatMap((r: { resources: string[] }) => r.resources)).toContain('pods');
    expect(kinds.flatMap((r: { resources: string[] }) => r.resources)).not.toContain('services');
  });

  it('audit: reports every violation of the policy on existing manifests and stores them', async () => {
    const file = join(home, 'pods.yaml');
    const pods = Array.from({ length: 30 }, (_, i) => privilegedPod(`p${i}`));
    writeFileSync(file, pods.map((p) => JSON.stringify(p)).join('\n---\n'));
    const run = await cli(['--format', 'json', 'admission', 'audit', '--exit-code', file]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.kind).toBe('KubernetesScan');
    const privileged = doc.results.filter((r: { control: string }) => r.control === 'K8S-POD-01');
    expect(privileged).toHaveLength(30);
  });

  it('serve: answers over HTTPS, logs one JSON line per decision and records it in the store', async () => {
    const { url, ca, out, child, exited } = await startServe(home, 'tls', []);
    const res = await httpsRequest(
      `${url}/validate`,
      ca,
      reviewBody({ uid: 'served-1', object: privilegedPod() }),
    );
    expect(res.json()).toMatchObject({ response: { uid: 'served-1', allowed: false } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line = JSON.parse(out.stdout.trim().split('\n')[0]!);
    expect(line).toMatchObject({
      uid: 'served-1',
      operation: 'CREATE',
      kind: 'v1/Pod',
      namespace: 'apps',
      allowed: false,
      violations: [{ control: 'K8S-POD-01', action: 'deny' }],
    });
    expect(line.object).toBeUndefined();
    const store = await openStore({ url: undefined, home });
    try {
      expect((await listAdmissionDecisions(store.db)).map((d) => [d.uid, d.action])).toEqual([
        ['served-1', 'deny'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('serve: a Pod without runAsUser gets a JSONPatch that applies cleanly and makes it pass restricted', async () => {
    const policy = join(home, 'mutating.yaml');
    writeFileSync(
      policy,
      `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
standard: pss-restricted
defaults: {runAsNonRoot: true, seccompProfile: RuntimeDefault, dropAllCapabilities: true, allowPrivilegeEscalation: false}
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: add-default-securitycontext}
spec:
  rules:
  - name: add-default-securitycontext
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        spec:
          securityContext:
            +(runAsUser): 1000
            +(runAsGroup): 3000
`,
    );
    const { url, ca, out, child, exited } = await startServe(home, 'mutating', [
      '--policy',
      policy,
      '--no-store',
    ]);
    const plain = pod('web');
    const res = await httpsRequest(`${url}/mutate`, ca, reviewBody({ uid: 'mut-1', object: plain }));
    const response = (res.json() as { response: { allowed: boolean; patchType: string; patch: string } })
      .response;
    expect(response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    const operations = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
    const patched = jsonPatch.applyPatch(structuredClone(plain), operations, true, false).newDocument as Doc;
    expect(patched.spec.securityContext).toMatchObject({
      runAsUser: 1000,
      runAsGroup: 3000,
      runAsNonRoot: true,
    });
    const failing = (object: unknown) =>
      evaluate([{ object: object as KubeObject, source: {} }], { standard: 'pss-restricted' }).filter(
        (r) => r.status === 'fail',
      );
    expect(failing(plain).length).toBeGreaterThan(0);
    expect(failing(patched).map((r) => r.control)).toEqual([]);
    const checked = await httpsRequest(`${url}/validate`, ca, reviewBody({ uid: 'val-1', object: patched }));
    expect(checked.json()).toMatchObject({ response: { uid: 'val-1', allowed: true } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line = JSON.parse(out.stdout.trim().split('\n')[0]!);
    expect(line).toMatchObject({ uid: 'mut-1', webhook: 'mutate', patched: true });
    expect(line.mutations).toContain('add-default-securitycontext/add-default-securitycontext');
    expect(line.patch).toBeUndefined();
  });

  it('audit --cluster: reads a live cluster, leaves exempt namespaces out, and stores the results', async () => {
    const system = privilegedPod('kube-proxy');
    (system.metadata as { namespace: string }).namespace = 'kube-system';
    const api = await startFakeApiServer([privilegedPod('debug'), system, pod('fine')] as KubeObject[]);
    try {
      const run = await cli([
        '--format',
        'json',
        'admission',
        'audit',
        '--cluster',
        '--kubeconfig',
        api.kubeconfig(home),
      ]);
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.cluster).toBe('test');
      const failing = doc.results
        .filter((r: { status: string }) => r.status === 'fail')
        .map(
          (r: { control: string; resource: { namespace: string; kind: string; name: string } }) =>
            `${r.control} ${r.resource.namespace}/${r.resource.kind}/${r.resource.name}`,
        );
      expect(failing).toEqual(['K8S-POD-01 apps/Pod/debug']);
    } finally {
      await api.close();
    }
  });

  describe('namespace labels (--kubeconfig, a Namespace cache)', () => {
    const NS_POLICY = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPPrivilegedContainer
metadata: {name: no-privileged-in-prod}
spec:
  match:
    kinds: [{apiGroups: [''], kinds: [Pod]}]
    namespaceSelector: {matchLabels: {env: prod}}
---
apiVersion: admissionregistration.k8s.io/v1
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
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team-of-namespace}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels && object.metadata.labels['team'] == namespaceObject.metadata.labels['team']"
    message: the pod's team is its namespace's team
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team-of-namespace}
spec:
  policyName: team-of-namespace
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}
`;
    const namespace = (name: string, labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels },
    });
    /** The pod fixture moved to a namespace (request and object agree). */
    const inNs = (object: Record<string, unknown>, ns: string, labels?: Record<string, string>) => {
      const meta = object.metadata as Record<string, unknown>;
      return { ...object, metadata: { ...meta, namespace: ns, ...(labels ? { labels } : {}) } };
    };

    it('serve decides constraints and VAPs with the cached labels, counts unknown namespaces, follows label changes', async () => {
      const dev = namespace('dev', { env: 'dev' });
      const cluster: KubeObject[] = [
        namespace('prod', { env: 'prod', team: 'payments' }),
        dev,
        namespace('kube-system', {}),
      ];
      const api = await startFakeApiServer(cluster);
      const policyFile = join(home, 'ns-policy.yaml');
      writeFileSync(policyFile, NS_POLICY);
      const { url, ca, out, child, exited } = await startServe(home, 'ns-tls', [
        '--no-store',
        '--policy',
        policyFile,
        '--kubeconfig',
        api.kubeconfig(home),
        '--namespace-refresh',
        '1',
      ]);
      try {
        expect(out.stderr).toMatch(/3 namespaces cached/);
        const decide = async (object: Record<string, unknown>) => {
          const ns = (object.metadata as { namespace: string }).namespace;
          const res = await httpsRequest(`${url}/validate`, ca, reviewBody({ namespace: ns, object }));
          const response = (res.json() as { response: { allowed: boolean; status?: { message: string } } })
            .response;
          return response.allowed ? 'allowed' : response.status!.message;
        };
        const team = { team: 'payments' };
        // the Gatekeeper constraint selects prod by its labels, not dev
        expect(await decide(inNs(privilegedPod(), 'prod', team))).toMatch(/^\[K8S-POD-01\]/);
        expect(await decide(inNs(privilegedPod(), 'dev'))).toBe('allowed');
        // the VAP's matchConstraints.namespaceSelector
        const latest = pod('web', { image: 'nginx:latest' });
        expect(await decide(inNs(latest, 'prod', team))).toBe('[no-latest-in-prod] no latest in prod');
        expect(await decide(inNs(latest, 'dev'))).toBe('allowed');
        // the binding's matchResources.namespaceSelector and namespaceObject in the expression
        expect(await decide(inNs(pod('ok'), 'prod', team))).toBe('allowed');
        expect(await decide(inNs(pod('other'), 'prod', { team: 'search' }))).toBe(
          "[team-of-namespace] the pod's team is its namespace's team",
        );
        // a namespace the cache does not know: decided without labels, and counted
        expect(await decide(inNs(privilegedPod(), 'ghost'))).toBe('allowed');
        const metrics = (await httpsRequest(`${url}/metrics`, ca)).text;
        expect(metrics).toContain('bulkhead_admission_namespace_lookups_total{result="miss"} 1');
        expect(metrics).toContain('bulkhead_admission_namespace_lookups_total{result="hit"} 6');
        expect(metrics).toContain('bulkhead_admission_namespaces_cached 3');
        // dev becomes prod: the next list picks it up (wait on the decision, no timing assumption)
        dev.metadata.labels = { env: 'prod' };
        let verdict = await decide(inNs(privilegedPod(), 'dev'));
        while (verdict === 'allowed') {
          await new Promise((r) => setTimeout(r, 100));
          verdict = await decide(inNs(privilegedPod(), 'dev'));
        }
        expect(verdict).toMatch(/^\[K8S-POD-01\]/);
        expect(api.requests.filter((r) => r.startsWith('/api/v1/namespaces?')).length).toBeGreaterThan(1);
      } finally {
        child.kill('SIGTERM');
        await exited;
        await api.close();
      }
    });

    it('review --kubeconfig reads the namespace; manifests of such a policy run --in-cluster with read-only RBAC', async () => {
      const api = await startFakeApiServer([namespace('prod', { env: 'prod', team: 'payments' })]);
      const policyFile = join(home, 'ns-policy.yaml');
      writeFileSync(policyFile, NS_POLICY);
      try {
        const body = reviewBody({
          namespace: 'prod',
          object: inNs(privilegedPod(), 'prod', { team: 'payments' }),
        });
        const withLabels = await cli(
          [
            'admission',
            'review',
            '--policy',
            policyFile,
            '--kubeconfig',
            api.kubeconfig(home),
            '--exit-code',
            '-',
          ],
          body,
        );
        expect(withLabels.code, withLabels.stderr).toBe(1);
        const without = await cli(['admission', 'review', '--policy', policyFile, '--exit-code', '-'], body);
        expect(without.code).toBe(0);
      } finally {
        await api.close();
      }
      const run = await cli(['admission', 'manifests', '--policy', policyFile]);
      expect(run.code, run.stderr).toBe(0);
      const docs = parseAllDocuments(run.stdout).map((d) => d.toJS() as Doc);
      const role = docs.find((d) => d.kind === 'ClusterRole')!;
      expect(role.rules).toEqual([
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
      ]);
      const binding = docs.find((d) => d.kind === 'ClusterRoleBinding')!;
      expect(binding.roleRef.name).toBe(role.metadata.name);
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'bulkhead-admission', namespace: 'bulkhead-system' },
      ]);
      const deployment = docs.find((d) => d.kind === 'Deployment')!;
      expect(deployment.spec.template.spec.containers[0].args).toContain('--in-cluster');
      const { objects, errors } = loadObjects([{ name: 'manifests', text: run.stdout }]);
      expect(errors).toEqual([]);
      const serious = evaluate(objects).filter(
        (r) => r.status === 'fail' && (r.severity === 'CRITICAL' || r.severity === 'HIGH'),
      );
      expect(serious.map((r) => `${r.control} ${r.resource.id}: ${r.message}`)).toEqual([]);
      // without namespace selectors: no RBAC, no --in-cluster
      const plain = parseAllDocuments((await cli(['admission', 'manifests'])).stdout).map(
        (d) => d.toJS() as Doc,
      );
      expect(plain.some((d) => d.kind === 'ClusterRole')).toBe(false);
    });
  });
});
