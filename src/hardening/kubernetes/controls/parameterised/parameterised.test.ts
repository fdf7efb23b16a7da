import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../../test/corpus.js';
import { evaluate } from '../../evaluate.js';
import { loadObjects } from '../../objects/load.js';
import { type Parameters, parametersSchema } from '../../parameters/schema.js';
import { PARAMETERISED_CHECKS } from './index.js';
import type { ParameterisedCheck } from './types.js';

const here = new URL('.', import.meta.url).pathname;

const isMember = (v: unknown): v is ParameterisedCheck =>
  typeof v === 'object' && v !== null && 'control' in v && 'configured' in v && 'check' in v;

/** Status per object of one row over corpus files (AdmissionReview bodies or manifests), with the parameters. */
function statuses(
  control: string,
  params: Partial<Parameters> | Record<string, unknown>,
  ...files: string[][]
) {
  const { objects, errors } = loadObjects(
    files.map((parts) => ({ name: parts.join('/'), text: readFileSync(corpusPath(...parts), 'utf8') })),
  );
  expect(errors).toEqual([]);
  return evaluate(objects, { controls: [control], parameters: parametersSchema.parse(params) }).map(
    (r) => r.status,
  );
}

const kubewarden = (policy: string, file: string) => [
  'admission',
  'kubewarden',
  'policies',
  policy,
  'test_data',
  file,
];
const INGRESS = kubewarden('labels-policy', 'ingress.json'); // labels and annotations cc-center: cc-1234a, owner: team-infra

describe('parameterised check registry', () => {
  it('lists every member exported by the files of its folder, once', async () => {
    const exported: ParameterisedCheck[] = [];
    for (const f of readdirSync(here).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')))
      exported.push(...Object.values(await import(join(here, f))).filter(isMember));
    expect(new Set(PARAMETERISED_CHECKS).size).toBe(PARAMETERISED_CHECKS.length);
    expect([...new Set(exported)].map((m) => m.name).sort()).toEqual(
      PARAMETERISED_CHECKS.map((m) => m.name).sort(),
    );
  });

  it('leaves every row as it was while its parameters are unset', () => {
    const defaults = parametersSchema.parse({});
    expect(PARAMETERISED_CHECKS.filter((m) => m.configured(defaults)).map((m) => m.name)).toEqual([]);
  });
});

describe('label and annotation rules', () => {
  it('denies keys (any value, or matching values), keys outside an allow-list and values off a pattern', () => {
    const labels = (p: object) => statuses('K8S-NS-03', { validateLabelValues: false, ...p }, INGRESS);
    expect(labels({ deniedLabels: [{ key: 'foo' }, { key: 'bar' }] })).toEqual(['pass']);
    expect(labels({ deniedLabels: [{ key: 'cc-center' }] })).toEqual(['fail']);
    expect(labels({ deniedLabels: [{ key: 'owner', valueRegex: '^team-' }] })).toEqual(['fail']);
    expect(labels({ deniedLabels: [{ key: 'owner', valueRegex: '^dev-' }] })).toEqual(['pass']);
    expect(labels({ allowedLabelKeys: ['owner', 'cc-center'] })).toEqual(['pass']);
    expect(labels({ allowedLabelKeys: ['owner'] })).toEqual(['fail']);
    expect(labels({ labelValuePatterns: [{ key: 'cc-center', allowedRegex: '^cc-\\d+$' }] })).toEqual([
      'fail',
    ]);
    expect(labels({ labelValuePatterns: [{ key: 'absent', allowedRegex: '^x$' }] })).toEqual(['pass']);
  });

  it('applies the same rules to annotations', () => {
    const annotations = (p: object) =>
      statuses('K8S-NS-04', p, kubewarden('safe-annotations-policy', 'ingress.json'));
    expect(annotations({ deniedAnnotations: [{ key: 'owner' }] })).toEqual(['fail']);
    expect(annotations({ annotationValuePatterns: [{ key: 'owner', allowedRegex: '^team-' }] })).toEqual([
      'pass',
    ]);
  });

  it('refuses a pattern RE2 does not accept when the policy loads', () => {
    expect(() => parametersSchema.parse({ deniedLabels: [{ key: 'a', valueRegex: '(?=x)' }] })).toThrow(
      /invalid regular expression/,
    );
  });
});

describe('pod rules', () => {
  it('SELinux options: an allow-list replaces the PSS rule', () => {
    const bad = kubewarden('selinux-psp-policy', 'pod_bad_selinux.json');
    const plain = kubewarden('selinux-psp-policy', 'pod_plain.json');
    const allow = {
      allowedSELinuxOptions: [{ user: 'system_u', role: 'system_r', type: 'spc_t', level: 's0' }],
    };
    expect(statuses('K8S-POD-20', allow, bad, plain)).toEqual(['fail', 'pass']);
  });

  it('shareProcessNamespace under the host PID row', () => {
    const shared = kubewarden(
      'share-pid-namespace-policy',
      'pod_with_sharing_pid_namespace_true_admission_request.json',
    );
    expect(statuses('K8S-POD-02', {}, shared)).toEqual(['pass']);
    expect(statuses('K8S-POD-02', { denyShareProcessNamespace: true }, shared)).toEqual(['fail']);
  });

  it('runtime classes: reserved, allowed (sandboxes) and the default runtime', () => {
    const runc = kubewarden('pod-runtime-class-policy', 'PodRequestWithRuncRuntime.json');
    expect(statuses('K8S-POD-34', { reservedRuntimeClasses: ['runC'] }, runc)).toEqual(['fail']);
    expect(statuses('K8S-POD-34', { reservedRuntimeClasses: ['gVisor'] }, runc)).toEqual(['pass']);
    expect(statuses('K8S-POD-34', { allowedRuntimeClasses: ['gvisor', 'kata'] }, runc)).toEqual(['fail']);
    const plain = kubewarden('selinux-psp-policy', 'pod_plain.json');
    expect(statuses('K8S-POD-34', { defaultRuntimeReserved: true }, plain)).toEqual(['fail']);
  });

  it('volume types of init-only volumes can be left out', () => {
    const pod = kubewarden('volumes-psp-policy', 'request-pod-volumes.json');
    expect(statuses('K8S-POD-25', { allowedVolumeTypes: ['projected'] }, pod)).toEqual(['fail']);
    expect(
      statuses(
        'K8S-POD-25',
        { allowedVolumeTypes: ['projected', 'hostPath'], volumeTypesSkipInitOnly: true },
        pod,
      ),
    ).toEqual(['pass']);
  });

  it('container scope drops failures on other container lists', () => {
    const pod = kubewarden(
      'allow-privilege-escalation-psp-policy',
      'req_pod_with_init_container_with_security_context_and_allowPrivilegeEscalation.json',
    );
    const explicit = { privilegeEscalationExplicitOnly: true };
    expect(statuses('K8S-POD-13', explicit, pod)).toEqual(['fail']);
    expect(
      statuses('K8S-POD-13', { ...explicit, containerScope: { 'K8S-POD-13': ['containers'] } }, pod),
    ).toEqual(['pass']);
  });

  it('unsafe sysctls allowed beside the safe set', () => {
    const pod = ['manifests', 'pss-fixtures', 'baseline', 'v1.37', 'fail', 'sysctls0.yaml']; // sysctl othersysctl
    expect(statuses('K8S-POD-22', {}, pod)).toEqual(['fail']);
    expect(statuses('K8S-POD-22', { allowedUnsafeSysctls: ['other*'] }, pod)).toEqual(['pass']);
    expect(
      statuses('K8S-POD-22', { allowedUnsafeSysctls: ['other*'], forbiddenSysctls: ['othersysctl'] }, pod),
    ).toEqual(['fail']);
  });

  it('environment-variable rules', () => {
    const pod = kubewarden('env-variable-secrets-scanner-policy', 'pod_creation_with_secrets.json'); // env rsa, email;
    const { objects } = loadObjects([{ name: 'p', text: readFileSync(corpusPath(...pod), 'utf8') }]);
    const names = (
      objects[0]!.object.spec as { containers: { env?: { name: string }[] }[] }
    ).containers.flatMap((c) => (c.env ?? []).map((e) => e.name));
    expect(names.length).toBeGreaterThan(0);
    const rule = (reject: string, variables: object[]) => ({ envRules: [{ reject, variables }] });
    expect(statuses('K8S-SA-10', rule('anyIn', [{ name: names[0] }]), pod)).toEqual(['fail']);
    expect(statuses('K8S-SA-10', rule('anyIn', [{ name: 'NOT_SET_HERE' }]), pod)).toEqual(['pass']);
    expect(
      statuses('K8S-SA-10', rule('notAllAreUsed', [{ name: names[0] }, { name: 'NOT_SET_HERE' }]), pod),
    ).toEqual(['fail']);
    expect(
      statuses(
        'K8S-SA-10',
        rule(
          'anyNotIn',
          names.map((name) => ({ name })),
        ),
        pod,
      ),
    ).toEqual(['pass']);
    expect(
      statuses(
        'K8S-SA-10',
        rule(
          'allAreUsed',
          names.map((name) => ({ name })),
        ),
        pod,
      ),
    ).toEqual(['fail']);
  });
});

describe('probes, namespaces, Ingress, priority classes', () => {
  const cassandra = [
    'manifests',
    'kubernetes-examples',
    'databases',
    'cassandra',
    'cassandra-statefulset.yaml',
  ];
  it('probe timing bounds (unset fields take the Kubernetes defaults)', () => {
    expect(
      statuses('K8S-REL-01', { probeTimingBounds: { initialDelaySeconds: { max: 20 } } }, cassandra),
    ).toEqual(['pass']);
    expect(
      statuses('K8S-REL-01', { probeTimingBounds: { initialDelaySeconds: { max: 10 } } }, cassandra),
    ).toEqual(['fail']);
    expect(statuses('K8S-REL-02', { probeTimingBounds: { periodSeconds: { min: 11 } } }, cassandra)).toEqual([
      'fail',
    ]);
  });

  it('any-probe mode and probe types', () => {
    expect(statuses('K8S-REL-01', { probeTypes: ['httpGet'] }, cassandra)).toEqual(['fail']);
    expect(statuses('K8S-REL-01', { probeTypes: ['exec'] }, cassandra)).toEqual(['pass']);
    expect(
      statuses(
        'K8S-REL-01',
        { probeMode: 'any', requiredProbes: ['readinessProbe', 'startupProbe'] },
        cassandra,
      ),
    ).toEqual(['pass']);
  });

  it('a minimum Pod Security enforce level per namespace', () => {
    const ns = [
      'manifests',
      'regolibrary',
      'rules',
      'pod-security-admission-baseline-applied-1',
      'test',
      'test3',
      'input',
      'namespace.yaml',
    ];
    expect(statuses('K8S-CL-01', { minimumPsaLevel: 'baseline' }, ns)).toEqual(['pass']);
    expect(statuses('K8S-CL-01', { minimumPsaLevel: 'restricted' }, ns)).toEqual(['fail']);
  });

  it('Ingress backend ports, allowed and denied', () => {
    const ingress = ['manifests', 'kubernetes-examples', 'AI', 'model-serving-tensorflow', 'ingress.yaml'];
    expect(statuses('K8S-NET-11', { ingressAllowedPorts: [8501] }, ingress)).toEqual(['pass']);
    expect(statuses('K8S-NET-11', { ingressAllowedPorts: [443] }, ingress)).toEqual(['fail']);
    expect(statuses('K8S-NET-11', { ingressDeniedPorts: [8501] }, ingress)).toEqual(['fail']);
  });

  it('PriorityClass allow and deny lists replace "not set"', () => {
    const named = kubewarden('priority-class-policy', 'deployment_creation.json');
    const missing = kubewarden('priority-class-policy', 'deployment_creation_missing.json');
    expect(statuses('K8S-REL-14', { deniedPriorityClasses: ['noncritical'] }, named, missing)).toEqual([
      'fail',
      'pass',
    ]);
    expect(statuses('K8S-REL-14', { allowedPriorityClasses: ['noncritical'] }, named, missing)).toEqual([
      'pass',
      'pass',
    ]);
  });
});
