import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../../../test/e2e/cli-support.js';
import { type FakeApiServer, startFakeApiServer } from '../../hardening/kubernetes/live/test-support.js';

const home = mkdtempSync(join(tmpdir(), 'bulkhead-k8s-cli-'));
const dir = join(home, 'manifests');
const privileged = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext: {privileged: true}
`;
const broken = `apiVersion: v1
kind: Service
metadata: {name: ok, namespace: shop}
spec: {type: NodePort, ports: [{port: 80}]}
---
kind: [broken
`;
let server: FakeApiServer;

beforeAll(async () => {
  mkdirSync(join(dir, 'nested'), { recursive: true });
  writeFileSync(join(dir, 'deploy.yaml'), `# Source: chart/templates/deploy.yaml\n${privileged}`);
  writeFileSync(join(dir, 'nested', 'svc.yaml'), broken);
  server = await startFakeApiServer([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop' },
      spec: { hostPID: true, containers: [{ name: 'sh', image: 'busybox:1.36' }] },
    },
  ]);
});
afterAll(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

const cli = (args: string[], input?: string) =>
  runBuiltCli(['--home', home, ...args], input === undefined ? {} : { input });

describe('bulkhead k8s scan', () => {
  it('scans a directory recursively to JSON, reports a malformed document and assesses the rest', async () => {
    const run = await cli(['k8s', 'scan', dir, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'KubernetesScan',
      standard: 'security',
      pssVersion: 'v1.37',
    });
    // security first: without --standard, reliability and hygiene controls (best-practices only) do not run
    expect(doc.results.length).toBeGreaterThan(0);
    const practiceOnly = (doc.results as { control: string; standards: string[] }[]).filter(
      (r) => r.standards.length > 0 && r.standards.every((s) => s === 'best-practices'),
    );
    expect(practiceOnly.map((r) => r.control)).toEqual([]);
    expect(doc.errors).toEqual([
      expect.objectContaining({ file: join(dir, 'nested', 'svc.yaml'), docIndex: 1 }),
    ]);
    expect(run.stderr).toMatch(/svc\.yaml document 1/);
    const priv = doc.results.find((r: { control: string }) => r.control === 'K8S-POD-01');
    expect(priv).toMatchObject({
      severity: 'CRITICAL',
      status: 'fail',
      field: 'spec.template.spec.containers[0].securityContext.privileged',
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        file: join(dir, 'deploy.yaml'),
        line: 2,
      },
    });
    // K8S-NET-09 is a best practice: it runs with --standard all (or best-practices), not by default
    expect(doc.results.some((r: { control: string }) => r.control === 'K8S-NET-09')).toBe(false);
    expect(doc.results.every((r: { status: string }) => r.status === 'fail')).toBe(true);
    const all = JSON.parse((await cli(['k8s', 'scan', dir, '--standard', 'all', '--format', 'json'])).stdout);
    expect(all.results.some((r: { control: string }) => r.control === 'K8S-NET-09')).toBe(true);
  });

  it('reads stdin, selects a standard and lists passed rows on request', async () => {
    const run = await cli(
      [
        'k8s',
        'scan',
        '-',
        '--standard',
        'pss-baseline',
        '--include-passed',
        '--format',
        'json',
        '--no-store',
      ],
      privileged,
    );
    const doc = JSON.parse(run.stdout);
    const controls = new Set(doc.results.map((r: { control: string }) => r.control));
    expect(controls.has('K8S-POD-01') && controls.has('K8S-POD-02')).toBe(true);
    expect(controls.has('K8S-POD-14') || controls.has('K8S-RES-01')).toBe(false);
    expect(doc.results.find((r: { control: string }) => r.control === 'K8S-POD-02').status).toBe('pass');
  });

  it('limits the assessment to namespaces with --include-namespaces / --exclude-namespaces', async () => {
    const pod = (namespace: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${namespace}}\nspec: {hostPID: true, containers: [{name: c, image: busybox:1.36}]}\n`;
    const stdin = [
      pod('shop'),
      pod('shop-dev'),
      pod('ops'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ops}\n',
    ].join('---\n');
    const scanned = async (...flags: string[]) => {
      const run = await cli(['k8s', 'scan', '-', '--format', 'json', '--no-store', ...flags], stdin);
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout);
      return [
        ...new Set(
          doc.results.map(
            (r: { resource: { kind: string; namespace?: string; name: string } }) =>
              `${r.resource.kind}/${r.resource.namespace ?? r.resource.name}`,
          ),
        ),
      ].sort();
    };
    expect(await scanned()).toEqual(['Namespace/ops', 'Pod/ops', 'Pod/shop', 'Pod/shop-dev']);
    expect(await scanned('--include-namespaces', 'shop*')).toEqual(['Pod/shop', 'Pod/shop-dev']);
    expect(await scanned('--include-namespaces', 'shop*', '--exclude-namespaces', 'shop-dev')).toEqual([
      'Pod/shop',
    ]);
    expect(await scanned('--exclude-namespaces', 'shop, shop-dev')).toEqual(['Namespace/ops', 'Pod/ops']);
  });

  it('reports a compliance percentage and gates on --compliance-threshold', async () => {
    const args = ['k8s', 'scan', '-', '--standard', 'pss-baseline', '--no-store'];
    const doc = JSON.parse((await cli([...args, '--format', 'json'], privileged)).stdout);
    const { pass, fail, compliance } = doc.summary;
    expect(fail).toBeGreaterThan(0);
    expect(compliance).toBe(Math.floor((pass / (pass + fail)) * 10_000) / 100);
    expect((await cli([...args, '--compliance-threshold', String(compliance)], privileged)).code).toBe(0);
    expect((await cli([...args, '--compliance-threshold', `${compliance + 1}%`], privileged)).code).toBe(1);
    const bad = await cli([...args, '--compliance-threshold', '120'], privileged);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--compliance-threshold: "120" is not a percentage/);
  });

  it('versions the Pod Security Standards with --pss-version', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: "1"}]}\n  containers: [{name: a, image: x:1}]\n';
    const at = async (v: string) =>
      JSON.parse(
        (
          await cli(
            [
              'k8s',
              'scan',
              '-',
              '--standard',
              'pss-baseline',
              '--pss-version',
              v,
              '--format',
              'json',
              '--no-store',
            ],
            pod,
          )
        ).stdout,
      );
    expect((await at('v1.36')).results.map((r: { control: string }) => r.control)).toEqual(['K8S-POD-22']);
    expect((await at('latest')).results).toEqual([]);
    expect((await cli(['k8s', 'scan', '-', '--pss-version', 'one'], pod)).code).toBe(2);
  });

  it('writes SARIF with file and line, and JUnit', async () => {
    const sarif = JSON.parse(
      (await cli(['k8s', 'scan', join(dir, 'deploy.yaml'), '--format', 'sarif', '--no-store'])).stdout,
    );
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'K8S-POD-01');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: join(dir, 'deploy.yaml') },
      region: { startLine: 2 },
    });
    const junit = (await cli(['k8s', 'scan', join(dir, 'deploy.yaml'), '--format', 'junit', '--no-store']))
      .stdout;
    expect(junit).toMatch(/<testsuite name="Deployment shop\/web"/);
    expect(junit).toMatch(/K8S-POD-01 Privileged container/);
  });

  it('gates with --exit-code at a severity threshold, and refuses bad flags with exit 2', async () => {
    expect(
      (
        await cli([
          'k8s',
          'scan',
          join(dir, 'deploy.yaml'),
          '--exit-code',
          '--severity-threshold',
          'CRITICAL',
          '--no-store',
        ])
      ).code,
    ).toBe(1);
    expect(
      (
        await cli([
          'k8s',
          'scan',
          join(dir, 'nested'),
          '--exit-code',
          '--severity-threshold',
          'HIGH',
          '--no-store',
        ])
      ).code,
    ).toBe(0);
    const bad = await cli(['k8s', 'scan', dir, '--standard', 'pci']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--standard/);
    expect((await cli(['k8s', 'scan', join(dir, 'missing.yaml')])).code).toBe(2);
  });

  it('honours a policy file: parameters, an active exception, an expired one reported', async () => {
    const policy = join(home, 'policy.yaml');
    writeFileSync(
      policy,
      `apiVersion: bulkhead.dev/v1
kind: KubernetesPolicy
parameters:
  allowedRegistries: [registry.example.com/]
exceptions:
- {id: K8S-POD-01, reason: legacy, namespaces: [sh*], kinds: [Deployment], expires: '2999-01-01'}
- {id: K8S-IMG-04, reason: old, names: [web], expires: '2001-01-01'}
`,
    );
    const doc = JSON.parse(
      (
        await cli([
          'k8s',
          'scan',
          join(dir, 'deploy.yaml'),
          '--policy',
          policy,
          '--standard',
          'all',
          '--format',
          'json',
          '--no-store',
        ])
      ).stdout,
    );
    const by = (id: string) => doc.results.find((r: { control: string }) => r.control === id);
    expect(by('K8S-POD-01').suppressedBy).toEqual({ reason: 'legacy', expires: '2999-01-01' });
    expect(by('K8S-IMG-01').status).toBe('fail');
    expect(doc.expiredExceptions).toEqual([
      expect.objectContaining({ id: 'K8S-IMG-04', control: 'K8S-IMG-04' }),
    ]);
    expect(
      (
        await cli([
          'k8s',
          'scan',
          join(dir, 'deploy.yaml'),
          '--policy',
          policy,
          '--exit-code',
          '--severity-threshold',
          'CRITICAL',
          '--no-store',
        ])
      ).code,
    ).toBe(0);
    writeFileSync(
      policy,
      'apiVersion: bulkhead.dev/v1\nkind: KubernetesPolicy\nparameters: {noSuchParameter: 1}\n',
    );
    const bad = await cli(['k8s', 'scan', dir, '--policy', policy]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy\.yaml/);
  });

  it("runs the policy file's custom checks and names the file on an unknown key", async () => {
    const policy = join(home, 'custom-policy.yaml');
    const checks = `apiVersion: bulkhead.dev/v1
kind: KubernetesPolicy
customChecks:
  internalRegistry:
    successMessage: Images come from registry.local
    failureMessage: Pull images from registry.local
    severity: danger
    target: Container
    schema: {properties: {image: {pattern: '^registry\\.local/'}}}
celChecks:
- id: team-label
  title: Workloads carry a team label
  severity: LOW
  kinds: [apps/Deployment]
  cel: "has(object.metadata.labels) && 'team' in object.metadata.labels"
  message: the team label is missing
  remediation: Add metadata.labels.team
`;
    writeFileSync(policy, checks);
    const run = await cli([
      'k8s',
      'scan',
      join(dir, 'deploy.yaml'),
      '--policy',
      policy,
      '--format',
      'json',
      '--no-store',
    ]);
    const doc = JSON.parse(run.stdout);
    const by = (id: string) => doc.results.find((r: { control: string }) => r.control === id);
    expect(by('internalRegistry')).toMatchObject({
      severity: 'HIGH',
      status: 'fail',
      title: 'Images come from registry.local',
      field: 'spec.template.spec.containers[0]',
    });
    expect(by('team-label')).toMatchObject({
      severity: 'LOW',
      message: 'the team label is missing',
      remediation: 'Add metadata.labels.team',
    });
    writeFileSync(policy, checks.replace('  remediation:', '  fix: now\n  remediation:'));
    const bad = await cli(['k8s', 'scan', dir, '--policy', policy]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`bulkhead: ${policy}: celChecks[0]: unknown field "fix"`);
  });

  it('applies Gatekeeper constraints and lists the kinds it does not implement', async () => {
    const constraints = join(home, 'constraints');
    mkdirSync(constraints, { recursive: true });
    writeFileSync(
      join(constraints, 'c.yaml'),
      `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedRepos
metadata: {name: only-internal}
spec:
  enforcementAction: warn
  match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}], namespaces: ["sh*"]}
  parameters: {repos: [registry.example.com/]}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sSomethingElse
metadata: {name: other}
spec: {}
---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: namedcontainers}
spec:
  crd: {spec: {names: {kind: NamedContainers}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "object.spec.template.spec.containers.all(c, c.name.startsWith(variables.params.prefix))"
                message: container names must start with the prefix
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: NamedContainers
metadata: {name: team-prefix}
spec:
  match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
  parameters: {prefix: team-}
`,
    );
    const doc = JSON.parse(
      (
        await cli([
          'k8s',
          'scan',
          join(dir, 'deploy.yaml'),
          '--constraints',
          constraints,
          '--format',
          'json',
          '--no-store',
        ])
      ).stdout,
    );
    expect(doc.notImplemented).toEqual([
      expect.objectContaining({ kind: 'K8sSomethingElse', name: 'other' }),
    ]);
    const img = doc.results.find((r: { control: string }) => r.control === 'K8S-IMG-01');
    expect(img).toMatchObject({ status: 'warn' });
    const cel = doc.results.find((r: { control: string }) => r.control === 'NamedContainers/team-prefix');
    expect(cel).toMatchObject({ status: 'fail', message: 'container names must start with the prefix' });
  });

  it('applies Kyverno policies with --kyverno and lists the rules it does not evaluate', async () => {
    const kyverno = join(home, 'kyverno.yaml');
    writeFileSync(
      kyverno,
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-privileged
  annotations: {policies.kyverno.io/severity: high}
spec:
  validationFailureAction: Enforce
  rules:
  - name: privileged-containers
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: Privileged mode is disallowed.
      pattern:
        spec:
          containers:
          - =(securityContext):
              =(privileged): "false"
  - name: add-label
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate: {patchStrategicMerge: {metadata: {labels: {a: b}}}}
`,
    );
    const run = await cli([
      'k8s',
      'scan',
      join(dir, 'deploy.yaml'),
      '--kyverno',
      kyverno,
      '--format',
      'json',
      '--no-store',
    ]);
    const doc = JSON.parse(run.stdout);
    expect(doc.notImplemented).toEqual([
      expect.objectContaining({
        kind: 'ClusterPolicy',
        name: 'disallow-privileged/add-label: mutate (mutation)',
      }),
    ]);
    const row = doc.results.find(
      (r: { control: string }) => r.control === 'disallow-privileged/autogen-privileged-containers',
    );
    expect(row).toMatchObject({ status: 'fail', severity: 'HIGH' });
    expect(row.message).toContain('Privileged mode is disallowed.');
  });

  it('scans a live cluster through a kubeconfig and stores the results', async () => {
    const kubeconfig = server.kubeconfig(home);
    const run = await cli([
      'k8s',
      'scan',
      '--cluster',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'test',
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.cluster).toBe('test');
    expect(doc.results.find((r: { control: string }) => r.control === 'K8S-POD-02').resource).toMatchObject({
      kind: 'Pod',
      name: 'debug',
    });
    const status = JSON.parse((await cli(['store', 'status', '--format', 'json'])).stdout);
    expect(status.counts.controlResults).toBeGreaterThan(0);
  });
});
