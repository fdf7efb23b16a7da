import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowsAnchoredTo } from '../../../src/hardening/kubernetes/controls/anchors.js';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { walk } from '../../../src/hardening/kubernetes/objects/files.js';
import { loadObjects } from '../../../src/hardening/kubernetes/objects/load.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';

interface ControlIndex {
  controls?: { controlID: string; rules: string[] }[];
}

/**
 * Rules whose meaning is narrower than the rows their control anchors to: the rows (and object kinds) that
 * express them, or [] when no row does (e.g. the individual securityContext fields of C-0211).
 */
const RULE_ROWS: Readonly<
  Record<string, { rows: string[]; kinds?: string[]; params?: Partial<Parameters> }>
> = {
  'rule-credentials-in-env-var': { rows: ['K8S-SA-06', 'K8S-SA-07'] },
  'encrypt-traffic-to-https-load-balancers-with-tls-certificates': {
    rows: ['K8S-NET-04'],
    params: { ingressRequireAllowHttpFalse: false },
  },
  'non-existent-service-account': { rows: ['K8S-SA-04'], params: { requireServiceAccountInBundle: true } },
  ensure_network_policy_configured_in_labels: { rows: ['K8S-NET-01'], params: { requiredPolicyTypes: [] } },
  'ingress-and-egress-blocked': { rows: ['K8S-NET-01'], params: { requiredPolicyTypes: [] } },
  'workload-mounted-pvc': {
    rows: ['K8S-SA-09'],
    params: { sensitiveVolumeTypes: ['persistentVolumeClaim'], requireReferencedObject: true },
  },
  'workload-mounted-configmap': {
    rows: ['K8S-SA-09'],
    params: { sensitiveVolumeTypes: ['configMap'], requireReferencedObject: true },
  },
  'workload-mounted-secrets': {
    rows: ['K8S-SA-09'],
    params: { sensitiveVolumeTypes: ['secret'], requireReferencedObject: true },
  },
  'dangling-ingress-backend': { rows: ['K8S-NET-13'], kinds: ['Ingress'] },
  'dangling-service': { rows: ['K8S-NET-13'], kinds: ['Service'] },
  'dangling-gateway-backend': { rows: ['K8S-NET-13'], kinds: ['HTTPRoute', 'GRPCRoute'] },
  'non-root-containers': { rows: ['K8S-POD-14'] },
  'agent-sandbox-image-registry-allowlist': { rows: ['K8S-IMG-01'] },
  'agent-sandbox-image-tag-provenance': { rows: ['K8S-IMG-03'] },
  'exposed-sensitive-interfaces-v1': { rows: [] },
  'set-fsgroup-value': { rows: [] },
  'set-fsgroupchangepolicy-value': { rows: [] },
  'set-hostprocess-true': { rows: [] },
  'set-supplementalgroups-values': { rows: [] },
  'set-sysctls-params': { rows: [] },
  'set-seccomp-profile': { rows: [] },
  'set-procmount-default': { rows: [] },
  'set-seLinuxOptions': { rows: [] },
  'set-seccomp-profile-RuntimeDefault': { rows: [] },
};

/** Rule → catalogue rows, through `controls.json` (rule → Kubescape control) and the catalogue anchors (control → rows). */
function ruleRows(
  dir: string,
): Map<string, { rows: string[]; kinds?: string[]; params?: Partial<Parameters> }> {
  const file = join(dir, 'controls.json');
  const index = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ControlIndex) : {};
  const map = new Map<string, { rows: string[]; kinds?: string[]; params?: Partial<Parameters> }>();
  for (const c of index.controls ?? []) {
    const rows = rowsAnchoredTo(`KS:${c.controlID}`);
    for (const rule of c.rules)
      map.set(rule, { rows: [...new Set([...(map.get(rule)?.rows ?? []), ...rows])] });
  }
  for (const [rule, rows] of Object.entries(RULE_ROWS)) map.set(rule, rows);
  return map;
}

type PostureInputs = Record<string, unknown>;

/** Kubescape's posture control inputs: the suite's defaults (default-config-inputs.json), or a case's data.json. */
function readInputs(file: string): PostureInputs {
  if (!existsSync(file)) return {};
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    settings?: { postureControlInputs?: PostureInputs };
    postureControlInputs?: PostureInputs;
  };
  return doc.settings?.postureControlInputs ?? doc.postureControlInputs ?? {};
}

/**
 * Posture control inputs as Bulkhead parameters. Registry lists name registry hosts of the normalised reference
 * (`nginx` is on docker.io): they become image globs `HOST/*`.
 */
function inputsToParams(p: PostureInputs, rule: string): Partial<Parameters> {
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as unknown[]).map(String) : []);
  const first = (k: string) => list(k)[0];
  const hosts = (...keys: string[]) => keys.flatMap(list).map((r) => `${r}/*`);
  const memory = {
    maxLimit: first('sandbox_memory_limit_max') ?? first('memory_limit_max'),
    maxRequest: first('memory_request_max'),
  };
  const bounds = Object.fromEntries(Object.entries(memory).filter(([, v]) => v !== undefined));
  return {
    sensitiveKeyNames: list('sensitiveKeyNames'),
    sensitiveValues: list('sensitiveValues'),
    sensitiveKeyNamesAllowed: list('sensitiveKeyNamesAllowed'),
    sensitiveValuesAllowed: list('sensitiveValuesAllowed'),
    ...(list('insecureCapabilities').length ? { disallowedCapabilities: list('insecureCapabilities') } : {}),
    ...(list('imageRepositoryAllowList').length ? { allowedImages: hosts('imageRepositoryAllowList') } : {}),
    ...(hosts('untrustedRegistries', 'publicRegistries').length
      ? { deniedImages: hosts('untrustedRegistries', 'publicRegistries') }
      : {}),
    ...(list('floatingImageTags').length ? { disallowedTags: ['latest', ...list('floatingImageTags')] } : {}),
    digestExemptRepositories: list('imageDigestExemptRepositories'),
    ...(Object.keys(bounds).length ? { resourceBounds: { memory: bounds } } : {}),
    ...(rule === 'k8s-common-labels-usage'
      ? { anyOfLabels: list('k8sRecommendedLabels'), validateLabelValues: false }
      : {}),
    ...(rule === 'label-usage-for-resources'
      ? { anyOfLabels: list('recommendedLabels'), validateLabelValues: false }
      : {}),
  };
}

/** Kubescape regolibrary rule tests: `rules/<rule>/test/<case>/{input/*, expected.json}` ([] = no alert). */
export const regolibrarySuite: ConformanceSuite = {
  name: 'regolibrary',
  description: 'kubescape/regolibrary rule tests (expected.json per case)',
  defaultDir: 'manifests/regolibrary',
  async *run(dir): AsyncIterable<CaseOutcome> {
    const rows = ruleRows(dir);
    const defaults = readInputs(join(dir, 'default-config-inputs.json'));
    const rulesDir = join(dir, 'rules');
    if (!existsSync(rulesDir)) return;
    for (const rule of readdirSync(rulesDir).sort()) {
      const testDir = join(rulesDir, rule, 'test');
      if (!existsSync(testDir)) continue;
      for (const c of readdirSync(testDir).sort()) {
        const expectedFile = join(testDir, c, 'expected.json');
        const inputDir = join(testDir, c, 'input');
        if (!existsSync(expectedFile) || !existsSync(inputDir)) continue;
        const id = `${rule}/${c}`;
        const mapping = rows.get(rule);
        const controls = mapping?.rows ?? [];
        if (controls.length === 0) {
          yield { id, verdict: 'not-implemented', detail: `rule ${rule} has no catalogue row` };
          continue;
        }
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8') || '[]') as unknown[];
        const { objects } = loadObjects(
          walk(inputDir).map((f) => ({ name: f, text: readFileSync(f, 'utf8') })),
        );
        if (objects.length === 0) {
          yield {
            id,
            verdict: 'not-implemented',
            detail: 'input holds no Kubernetes objects (cluster or node data)',
          };
          continue;
        }
        const subjects = objects.filter((o) => !mapping?.kinds || mapping.kinds.includes(o.object.kind));
        // a case's data.json replaces the inputs it names (an empty list keeps the default)
        const own = Object.entries(readInputs(join(testDir, c, 'data.json'))).filter(
          ([, v]) => !Array.isArray(v) || v.length > 0,
        );
        const inputs = { ...defaults, ...Object.fromEntries(own) };
        const parameters = parametersSchema.parse({ ...inputsToParams(inputs, rule), ...mapping?.params });
        const results = evaluate(subjects, {
          controls,
          parameters,
          context: objects.filter((o) => !subjects.includes(o)),
        });
        if (results.length === 0) {
          yield {
            id,
            verdict: 'not-implemented',
            detail: `rows ${controls.join(',')} do not apply to the input kinds (${[...new Set(objects.map((o) => o.object.kind))].join(', ')})`,
          };
          continue;
        }
        const failed = results.filter((r) => r.status === 'fail');
        const expectFail = Array.isArray(expected) && expected.length > 0;
        if (failed.length > 0 === expectFail) yield { id, verdict: 'passed' };
        else
          yield {
            id,
            verdict: 'failed',
            detail: expectFail
              ? `expected ${expected.length} alert(s); rows ${controls.join(',')} gave ${results.length} passing results`
              : `expected no alert; ${failed
                  .map((r) => `${r.control}: ${r.message}`)
                  .join(' | ')
                  .slice(0, 300)}`,
          };
      }
    }
  },
};
