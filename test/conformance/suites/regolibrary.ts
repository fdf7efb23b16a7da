import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowsAnchoredTo } from '../../../src/hardening/kubernetes/controls/anchors.js';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { walk } from '../../../src/hardening/kubernetes/objects/files.js';
import { loadObjects } from '../../../src/hardening/kubernetes/objects/load.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite, NotImplementedReason } from '../types.js';

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

type Inputs = (p: PostureInputs) => Partial<Parameters>;

const list = (p: PostureInputs, k: string) => (Array.isArray(p[k]) ? (p[k] as unknown[]).map(String) : []);
/** Registry lists name registry hosts of the normalised reference (`nginx` is on docker.io): globs `HOST/*`. */
const hosts = (p: PostureInputs, ...keys: string[]) => keys.flatMap((k) => list(p, k)).map((r) => `${r}/*`);

/** A resource bound input (`cpu_limit_max: ["2"]`) as K8S-RES-04's resourceBounds. */
const bound =
  (
    resource: 'cpu' | 'memory',
    key: 'minLimit' | 'maxLimit' | 'minRequest' | 'maxRequest',
    input: string,
  ): Inputs =>
  (p) => {
    const v = list(p, input)[0];
    return v === undefined ? {} : { resourceBounds: { [resource]: { [key]: v } } };
  };

/**
 * Kubescape's posture control inputs (`settings.postureControlInputs.<name>`, as each rule's metadata declares
 * them), translated into Bulkhead parameters. A rule reading an input absent here and from NAMED_INPUTS fails.
 */
const POSTURE_INPUTS: Readonly<Record<string, Inputs>> = {
  sensitiveKeyNames: (p) => ({ sensitiveKeyNames: list(p, 'sensitiveKeyNames') }),
  sensitiveValues: (p) => ({ sensitiveValues: list(p, 'sensitiveValues') }),
  sensitiveKeyNamesAllowed: (p) => ({ sensitiveKeyNamesAllowed: list(p, 'sensitiveKeyNamesAllowed') }),
  sensitiveValuesAllowed: (p) => ({ sensitiveValuesAllowed: list(p, 'sensitiveValuesAllowed') }),
  insecureCapabilities: (p) =>
    list(p, 'insecureCapabilities').length ? { disallowedCapabilities: list(p, 'insecureCapabilities') } : {},
  imageRepositoryAllowList: (p) =>
    list(p, 'imageRepositoryAllowList').length ? { allowedImages: hosts(p, 'imageRepositoryAllowList') } : {},
  untrustedRegistries: (p) =>
    hosts(p, 'untrustedRegistries', 'publicRegistries').length
      ? { deniedImages: hosts(p, 'untrustedRegistries', 'publicRegistries') }
      : {},
  publicRegistries: (p) =>
    hosts(p, 'untrustedRegistries', 'publicRegistries').length
      ? { deniedImages: hosts(p, 'untrustedRegistries', 'publicRegistries') }
      : {},
  floatingImageTags: (p) =>
    list(p, 'floatingImageTags').length
      ? { disallowedTags: ['latest', ...list(p, 'floatingImageTags')] }
      : {},
  imageDigestExemptRepositories: (p) => ({
    digestExemptRepositories: list(p, 'imageDigestExemptRepositories'),
  }),
  k8sRecommendedLabels: (p) => ({ anyOfLabels: list(p, 'k8sRecommendedLabels'), validateLabelValues: false }),
  recommendedLabels: (p) => ({ anyOfLabels: list(p, 'recommendedLabels'), validateLabelValues: false }),
  cpu_request_min: bound('cpu', 'minRequest', 'cpu_request_min'),
  cpu_request_max: bound('cpu', 'maxRequest', 'cpu_request_max'),
  cpu_limit_min: bound('cpu', 'minLimit', 'cpu_limit_min'),
  cpu_limit_max: bound('cpu', 'maxLimit', 'cpu_limit_max'),
  memory_request_min: bound('memory', 'minRequest', 'memory_request_min'),
  memory_request_max: bound('memory', 'maxRequest', 'memory_request_max'),
  memory_limit_min: bound('memory', 'minLimit', 'memory_limit_min'),
  memory_limit_max: bound('memory', 'maxLimit', 'memory_limit_max'),
  sandbox_cpu_limit_max: bound('cpu', 'maxLimit', 'sandbox_cpu_limit_max'),
  sandbox_memory_limit_max: bound('memory', 'maxLimit', 'sandbox_memory_limit_max'),
};

/** Posture inputs Bulkhead names as unsupported: a rule reading one is not implemented, for this reason. */
const NAMED_INPUTS: Readonly<Record<string, NotImplementedReason>> = {
  max_critical_vulnerabilities: 'needs-vulnerability-data',
  max_high_vulnerabilities: 'needs-vulnerability-data',
  trustedCosignPublicKeys: 'image-verification',
  sensitiveInterfaces: 'unsupported-feature',
  hardenedSandboxRuntimeClasses: 'unsupported-feature',
};

/** The parts of a rule's `rule.metadata.json` the runner reads. */
interface RuleMetadata {
  match?: { apiGroups?: string[]; resources?: string[] }[];
  dynamicMatch?: { apiGroups?: string[]; resources?: string[] }[];
  configInputs?: string[];
  controlConfigInputs?: { path: string }[];
}

function metadataOf(dir: string, rule: string): RuleMetadata | undefined {
  const file = join(dir, 'rules', rule, 'rule.metadata.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RuleMetadata) : undefined;
}

/** The posture input names a rule declares. */
function inputNames(meta: RuleMetadata): string[] {
  const paths = [...(meta.configInputs ?? []), ...(meta.controlConfigInputs ?? []).map((c) => c.path)];
  return [...new Set(paths.map((p) => p.replace(/^settings\.postureControlInputs\./, '')))];
}

/**
 * API groups whose objects Kubescape's host sensor, a cloud provider's API, an image scanner or a probe of the
 * running cluster describe.
 */
const DATA_SOURCES: readonly [RegExp, NotImplementedReason][] = [
  [/^(hostdata|apiserverinfo)\.kubescape\.cloud$/, 'needs-node-data'],
  [/^(eks\.amazonaws\.com|management\.azure\.com|container\.googleapis\.com)$/, 'needs-cloud-data'],
  [/^(armo\.vuln\.images|image\.vulnscan\.com)$/, 'needs-vulnerability-data'],
  // results of probing the running Services (does one answer without authentication)
  [/^kubescape\.io$/, 'needs-cluster-data'],
];

/** Why objects of the case's input cannot be judged from manifests: the data source of their API group. */
function inputReason(
  objects: readonly { object: { apiVersion: string; kind: string } }[],
): NotImplementedReason | undefined {
  for (const o of objects) {
    const group = o.object.apiVersion.includes('/') ? o.object.apiVersion.split('/')[0]! : '';
    const hit = DATA_SOURCES.find(([re]) => re.test(group));
    if (hit) return hit[1];
  }
  return undefined;
}

/**
 * Why a rule cannot be decided from manifests, from what its metadata matches: Nodes and host-sensor kinds need
 * node data, cloud API kinds cloud data, image scan results vulnerability data, service probes cluster data. Undefined for plain Kubernetes objects.
 */
function dataReason(meta: RuleMetadata): NotImplementedReason | undefined {
  const matches = [...(meta.match ?? []), ...(meta.dynamicMatch ?? [])];
  for (const m of matches)
    for (const g of m.apiGroups ?? []) {
      const hit = DATA_SOURCES.find(([re]) => re.test(g));
      if (hit) return hit[1];
      if (g === '' && m.resources?.includes('Node')) return 'needs-node-data';
    }
  return undefined;
}

type Translation = { params: Partial<Parameters> } | Omit<CaseOutcome, 'id'>;

/** The rule's declared inputs as parameters, or why they cannot be. */
function translateInputs(meta: RuleMetadata, inputs: PostureInputs): Translation {
  const names = inputNames(meta);
  const unknown = names.filter((n) => !Object.hasOwn(POSTURE_INPUTS, n) && !Object.hasOwn(NAMED_INPUTS, n));
  if (unknown.length)
    return { verdict: 'failed', detail: `posture input ${unknown.join(', ')} has no translation` };
  const named = names.find((n) => Object.hasOwn(NAMED_INPUTS, n));
  if (named)
    return { verdict: 'not-implemented', reason: NAMED_INPUTS[named]!, detail: `posture input ${named}` };
  const params: Partial<Parameters> = {};
  for (const n of names) {
    const part = POSTURE_INPUTS[n]!(inputs);
    const { resourceBounds, ...rest } = part;
    Object.assign(params, rest);
    if (resourceBounds)
      params.resourceBounds = {
        cpu: { ...params.resourceBounds?.cpu, ...resourceBounds.cpu },
        memory: { ...params.resourceBounds?.memory, ...resourceBounds.memory },
      };
  }
  return { params };
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
        const meta = metadataOf(dir, rule);
        if (!meta) {
          yield { id, verdict: 'failed', detail: `rule ${rule} has no rule.metadata.json` };
          continue;
        }
        const mapping = rows.get(rule);
        const controls = mapping?.rows ?? [];
        const needs = dataReason(meta);
        if (controls.length === 0) {
          yield {
            id,
            verdict: 'not-implemented',
            reason: needs ?? 'unsupported-feature',
            detail: `rule ${rule} has no catalogue row`,
          };
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
            reason: needs ?? 'unsupported-feature',
            detail: 'input holds no Kubernetes objects',
          };
          continue;
        }
        const held = inputReason(objects);
        if (held) {
          yield {
            id,
            verdict: 'not-implemented',
            reason: held,
            detail: 'the rule reads the input through its data source',
          };
          continue;
        }
        const subjects = objects.filter((o) => !mapping?.kinds || mapping.kinds.includes(o.object.kind));
        // a case's data.json replaces the inputs it names (an empty list keeps the default)
        const own = Object.entries(readInputs(join(testDir, c, 'data.json'))).filter(
          ([, v]) => !Array.isArray(v) || v.length > 0,
        );
        const translated = translateInputs(meta, { ...defaults, ...Object.fromEntries(own) });
        if (!('params' in translated)) {
          yield { id, ...translated };
          continue;
        }
        // Kubescape judges the cluster's own objects: a ClusterRole named cluster-admin is the cluster's
        const parameters = parametersSchema.parse({
          inputIsClusterState: true,
          ...translated.params,
          ...mapping?.params,
        });
        const results = evaluate(subjects, {
          controls,
          parameters,
          context: objects.filter((o) => !subjects.includes(o)),
        });
        if (results.length === 0) {
          yield {
            id,
            verdict: 'not-implemented',
            reason: needs ?? 'unsupported-feature',
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
