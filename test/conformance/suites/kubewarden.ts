import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { buildPolicy } from '../../../src/admission/policy.js';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { loadObjects } from '../../../src/hardening/kubernetes/objects/load.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import { AdmissionServerPool } from '../admission-server.js';
import type { CaseOutcome, ConformanceSuite, NotImplementedReason, SuiteOptions } from '../types.js';
import { filesUnder, rel } from './support.js';

type Settings = Record<string, unknown>;

/**
 * How one Kubewarden policy run is decided natively: catalogue rows and parameters; or why it cannot be, with a
 * reason code (a policy or setting Bulkhead names as unsupported); or `unknown` (a policy or setting Bulkhead does
 * not know at all: the case fails).
 */
export type PeerMapping =
  | { controls: string[]; params: Partial<Parameters> }
  | { unsupported: string; reason: NotImplementedReason }
  | { unknown: string };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const record = (v: unknown): Settings =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Settings) : {};

const unsupported = (reason: NotImplementedReason, what: string): PeerMapping => ({
  unsupported: what,
  reason,
});

/**
 * Settings outside `supported`: those the policy documents but Bulkhead does not express (`named`, with their
 * reason) make the run not implemented; any other key is unknown.
 */
function settingsProblem(
  settings: Settings,
  supported: readonly string[],
  named: Readonly<Record<string, NotImplementedReason>> = {},
): PeerMapping | undefined {
  const extra = Object.keys(settings).filter((k) => !supported.includes(k));
  const unknown = extra.filter((k) => !Object.hasOwn(named, k));
  if (unknown.length) return { unknown: `setting ${unknown.join(', ')} is not a setting Bulkhead knows` };
  if (extra.length)
    return unsupported(named[extra[0]!]!, `setting ${extra.join(', ')} has no posture parameter`);
  return undefined;
}

function mapped(
  settings: Settings,
  supported: readonly string[],
  controls: string[],
  params: Partial<Parameters> = {},
  named: Readonly<Record<string, NotImplementedReason>> = {},
): PeerMapping {
  return settingsProblem(settings, supported, named) ?? { controls, params };
}

/** The container-resources policy's per-resource settings that are K8S-RES-04 resourceBounds. */
const BOUNDS = [
  'minRequest',
  'maxRequest',
  'minLimit',
  'maxLimit',
  'defaultRequest',
  'defaultLimit',
] as const;

/** `ignoreImages` globs (`image:*`) as exemptImages (`*` suffix = prefix). */
const exemptImages = (s: Settings): Partial<Parameters> =>
  list(s.ignoreImages).length ? { exemptImages: list(s.ignoreImages) } : {};

/**
 * Kubewarden policies whose check is a catalogue row, with their settings turned into posture parameters
 * (settings per each policy's README upstream). Policies absent here, and runs whose settings have no parameter
 * counterpart (mutation defaults, deny lists, regex constraints), are reported as not implemented.
 */
export const KUBEWARDEN_POLICIES: Readonly<Record<string, (s: Settings) => PeerMapping>> = {
  'allow-privilege-escalation-psp-policy': (s) =>
    s.allowPrivilegeEscalation === true
      ? { controls: [], params: {} }
      : mapped(s, ['allowPrivilegeEscalation'], ['K8S-POD-13']),
  'apparmor-psp-policy': (s) =>
    mapped(s, ['allowed_profiles'], ['K8S-POD-19'], { allowedAppArmorProfiles: list(s.allowed_profiles) }),
  'capabilities-psp-policy': (s) => {
    // A capability added that is not allowed (K8S-POD-09) or that must be dropped (K8S-POD-10) is refused;
    // missing drops and default additions are mutations, not refusals.
    const { default_add_capabilities: _mutation, ...rest } = s;
    return mapped(
      rest,
      ['allowed_capabilities', 'required_drop_capabilities'],
      ['K8S-POD-09', 'K8S-POD-10'],
      {
        allowedCapabilities: list(s.allowed_capabilities),
        disallowedCapabilities: list(s.required_drop_capabilities),
      },
    );
  },
  'container-resources-policy': (s) => {
    // Per resource: ignoreValues: true only requires the values (K8S-RES-01/02/03); otherwise missing values are
    // defaulted (by mutation upstream) and bounded by min/max: K8S-RES-04's resourceBounds, which applies the
    // same defaults before comparing.
    const present = (['cpu', 'memory'] as const).filter((r) => record(s[r]).ignoreValues === true);
    const resourceBounds: Partial<Parameters['resourceBounds']> = {};
    for (const r of ['cpu', 'memory'] as const) {
      const problem = settingsProblem(record(s[r]), ['ignoreValues', ...BOUNDS]);
      if (problem) return problem;
      if (present.includes(r)) continue;
      const bounds = Object.fromEntries(
        BOUNDS.flatMap((k) => (record(s[r])[k] === undefined ? [] : [[k, record(s[r])[k]]])),
      );
      if (Object.keys(bounds).length) resourceBounds[r] = bounds;
    }
    return mapped(
      s,
      ['cpu', 'memory', 'ignoreImages'],
      ['K8S-RES-01', 'K8S-RES-02', 'K8S-RES-03', 'K8S-RES-04'],
      {
        requiredLimits: [...present],
        requiredRequests: [...present],
        resourceBounds,
        ...exemptImages(s),
      },
    );
  },
  'disallow-service-loadbalancer-policy': (s) => mapped(s, [], ['K8S-NET-08']),
  'disallow-service-nodeport-policy': (s) => mapped(s, [], ['K8S-NET-09']),
  'flexvolume-drivers-psp-policy': (s) =>
    mapped(s, ['allowedFlexVolumes'], ['K8S-POD-26'], {
      allowedFlexVolumeDrivers: (Array.isArray(s.allowedFlexVolumes) ? s.allowedFlexVolumes : []).map((d) =>
        String(record(d).driver),
      ),
    }),
  'hostpaths-psp-policy': (s) =>
    mapped(s, ['allowedHostPaths'], ['K8S-POD-06', 'K8S-POD-07'], {
      allowedHostPaths: (Array.isArray(s.allowedHostPaths) ? s.allowedHostPaths : []).map((h) => ({
        pathPrefix: String(record(h).pathPrefix),
        ...(record(h).readOnly === true ? { readOnly: true } : {}),
      })),
    }),
  'labels-policy': (s) => {
    if (s.criteria === 'containsAllOf')
      return mapped(s, ['criteria', 'values'], ['K8S-NS-03'], {
        requiredLabels: list(s.values).map((key) => ({ key })),
        validateLabelValues: false,
      });
    if (s.criteria === 'containsAnyOf')
      return mapped(s, ['criteria', 'values'], ['K8S-NS-03'], {
        anyOfLabels: list(s.values),
        validateLabelValues: false,
      });
    if (s.criteria === 'doesNotContainAnyOf' || s.criteria === 'doesNotContainOtherThan')
      return unsupported('unsupported-feature', `criteria ${s.criteria} (deny lists of labels)`);
    return { unknown: `criteria ${String(s.criteria)} is not a criteria Bulkhead knows` };
  },
  'persistentvolumeclaim-storageclass-policy': (s) =>
    mapped(
      s,
      ['allowedStorageClasses', 'deniedStorageClasses'],
      ['K8S-NS-09'],
      {
        allowedStorageClasses: list(s.allowedStorageClasses),
        deniedStorageClasses: list(s.deniedStorageClasses),
      },
      { fallbackStorageClass: 'mutation' },
    ),
  'safe-annotations-policy': (s) =>
    mapped(
      s,
      ['mandatory_annotations'],
      ['K8S-NS-04'],
      { requiredAnnotations: list(s.mandatory_annotations).map((key) => ({ key })) },
      { constrained_annotations: 'unsupported-feature', denied_annotations: 'unsupported-feature' },
    ),
  'selinux-psp-policy': (s) =>
    // RunAsAny checks nothing; MustRunAs pins user/role/type/level, which no posture parameter expresses.
    s.rule === 'RunAsAny'
      ? mapped(
          s,
          ['rule'],
          [],
          {},
          {
            user: 'unsupported-feature',
            role: 'unsupported-feature',
            type: 'unsupported-feature',
            level: 'unsupported-feature',
          },
        )
      : s.rule === 'MustRunAs'
        ? unsupported('unsupported-feature', 'SELinux rule MustRunAs (fixed seLinuxOptions)')
        : { unknown: `SELinux rule ${String(s.rule)} is not a rule Bulkhead knows` },
  'trusted-repos-policy': (s) => {
    // registries: hosts (with globs: allowedRegistries entries with `*` match the host); images: references
    const registries = record(s.registries);
    const images = record(s.images);
    const tags = record(s.tags);
    const host = (r: string) => (r.includes('*') ? r : `${r}/`);
    const controls = [
      ...(list(registries.allow).length || list(images.allow).length ? ['K8S-IMG-01'] : []),
      ...(list(registries.reject).length || list(images.reject).length ? ['K8S-IMG-02'] : []),
      ...(list(tags.reject).length ? ['K8S-IMG-03'] : []),
    ];
    return mapped(s, ['registries', 'tags', 'images'], controls, {
      allowedRegistries: list(registries.allow).map(host),
      disallowedRegistries: list(registries.reject).map(host),
      allowedImages: list(images.allow),
      deniedImages: list(images.reject),
      disallowedTags: list(tags.reject),
    });
  },
  'volumes-psp-policy': (s) =>
    mapped(
      s,
      ['allowedTypes'],
      ['K8S-POD-25'],
      { allowedVolumeTypes: list(s.allowedTypes) },
      { ignoreInitContainersVolumes: 'unsupported-feature' },
    ),
};

/** Policies of the Kubewarden catalogue that Bulkhead names as unsupported, and why. */
export const KUBEWARDEN_UNSUPPORTED: Readonly<
  Record<string, { reason: NotImplementedReason; what: string }>
> = {
  'context-aware-demo': { reason: 'needs-cluster-data', what: 'reads Namespaces from the cluster' },
  'go-wasi-context-aware-test-policy': {
    reason: 'needs-cluster-data',
    what: 'reads objects from the cluster',
  },
  'image-cve-policy': { reason: 'needs-vulnerability-data', what: 'reads image scan reports' },
  'kyverno-dsl-policy': { reason: 'unsupported-feature', what: 'Kyverno DSL inside a Kubewarden policy' },
  'ns-policyserver-mapper-policy': { reason: 'mutation', what: 'sets policyServer from a Namespace label' },
  'pod-runtime-class-policy': {
    reason: 'unsupported-feature',
    what: 'reserved runtime classes and fallback',
  },
  'priority-class-policy': { reason: 'unsupported-feature', what: 'allowed / denied priority classes' },
  'psa-label-enforcer-policy': { reason: 'mutation', what: 'adds Pod Security Admission labels' },
  'rancher-project-propagate-labels': { reason: 'mutation', what: 'copies Rancher project labels' },
  'raw-mutation-policy': { reason: 'mutation', what: 'mutates raw (non-Kubernetes) requests' },
  'raw-mutation-wasi-policy': { reason: 'mutation', what: 'mutates raw (non-Kubernetes) requests' },
  'runtime-enforcer-policy': {
    reason: 'needs-cluster-data',
    what: 'reads workload policies from the cluster',
  },
  'share-pid-namespace-policy': { reason: 'unsupported-feature', what: 'shareProcessNamespace' },
  'unique-service-selector-policy': {
    reason: 'needs-cluster-data',
    what: 'compares with the Services in the cluster',
  },
  'verify-image-signatures': { reason: 'image-verification', what: 'verifies Sigstore signatures' },
};

/** One `kwctl run` of `expectations.json` (derived from each policy's e2e.bats). */
interface Row {
  policy?: unknown;
  test?: unknown;
  request?: unknown;
  settingsJson?: unknown;
  settingsPath?: unknown;
  flags?: unknown;
  expectAllowed?: unknown;
}

/** The run's settings: inline JSON, a settings file (JSON or YAML) in the same layout, or the defaults. */
function settingsOf(row: Row, root: string): Settings | string {
  if (row.settingsJson !== null && row.settingsJson !== undefined) return record(row.settingsJson);
  if (typeof row.settingsPath === 'string') {
    const path = join(root, row.settingsPath);
    if (!existsSync(path)) return `settings file ${row.settingsPath} missing`;
    return record(parse(readFileSync(path, 'utf8')));
  }
  return {};
}

/** allowed = no failing result of the mapped controls on the request's object. */
export function decide(
  body: string,
  mapping: { controls: string[]; params: Partial<Parameters> },
): { allowed: boolean; reasons: string[] } | string {
  const review = JSON.parse(body) as { request?: { operation?: unknown } };
  // DELETE carries only oldObject: these policies validate the object being admitted, so there is none.
  if (review.request?.operation === 'DELETE') return { allowed: true, reasons: [] };
  const { objects, errors } = loadObjects([{ name: 'request', text: body }]);
  if (objects.length === 0) return errors[0]?.reason ?? 'no object in the request';
  if (mapping.controls.length === 0) return { allowed: true, reasons: [] };
  const parameters = parametersSchema.parse(mapping.params);
  const failed = evaluate(objects, { controls: mapping.controls, parameters }).filter(
    (r) => r.status === 'fail',
  );
  return { allowed: failed.length === 0, reasons: failed.map((r) => `[${r.control}] ${r.message}`) };
}

/** The webhook policy of one mapping: its rows with its parameters, enforced, no namespace exempt. */
export function webhookPolicy(mapping: { controls: string[]; params: Partial<Parameters> }) {
  return buildPolicy(
    {
      posture: { parameters: parametersSchema.parse(mapping.params), exceptions: [], disabledControls: [] },
      fields: { controls: mapping.controls, defaultAction: 'deny' },
    },
    'kubewarden settings',
    { mode: 'enforce', exemptNamespaces: [] },
  );
}

/**
 * Kubewarden's policy e2e runs: `expectations.json` with `cases[]` (policy, test, request source path, settings,
 * kwctl flags, expectAllowed); each request's local copy is `<dir>/kubewarden/<request>` (or `<dir>/<request>`).
 */
export const kubewardenSuite: ConformanceSuite = {
  name: 'kubewarden',
  description: 'Kubewarden policy e2e verdicts over AdmissionReview bodies',
  defaultDir: 'admission/kubewarden',
  throughServer: true,
  async *run(dir: string, options: SuiteOptions = {}): AsyncIterable<CaseOutcome> {
    const pool = options.throughServer ? new AdmissionServerPool() : undefined;
    try {
      yield* cases(dir, pool);
    } finally {
      await pool?.close();
    }
  },
};

async function* cases(dir: string, pool: AdmissionServerPool | undefined): AsyncIterable<CaseOutcome> {
  for (const file of filesUnder(dir, (n) => n === 'expectations.json')) {
    const base = dirname(file);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { cases?: unknown };
    const rows = Array.isArray(doc.cases) ? (doc.cases as Row[]) : [];
    for (const [i, row] of rows.entries()) {
      const policy = String(row.policy ?? '');
      const request = typeof row.request === 'string' ? row.request : '';
      const id = `${rel(dir, base) || '.'}/${policy}#${i + 1} ${String(row.test ?? request)}`;
      const named = KUBEWARDEN_UNSUPPORTED[policy];
      if (named) {
        yield { id, verdict: 'not-implemented', reason: named.reason, detail: `${policy}: ${named.what}` };
        continue;
      }
      const peer = KUBEWARDEN_POLICIES[policy];
      if (!peer) {
        yield { id, verdict: 'failed', detail: `unknown Kubewarden policy ${policy}` };
        continue;
      }
      const flags = list(row.flags);
      if (flags.some((f) => f.startsWith('--allow-context-aware'))) {
        yield {
          id,
          verdict: 'not-implemented',
          reason: 'needs-cluster-data',
          detail: `kwctl ${flags.join(' ')}`,
        };
        continue;
      }
      if (flags.includes('--raw')) {
        yield {
          id,
          verdict: 'not-implemented',
          reason: 'unsupported-feature',
          detail: `kwctl ${flags.join(' ')}`,
        };
        continue;
      }
      const root = [join(base, 'kubewarden'), base].find((r) => existsSync(join(r, request))) ?? base;
      const path = join(root, request);
      if (typeof row.expectAllowed !== 'boolean' || !existsSync(path)) {
        yield {
          id,
          verdict: 'failed',
          detail: `unusable row: request ${request} or expectAllowed missing`,
        };
        continue;
      }
      const settings = settingsOf(row, root);
      const mapping: PeerMapping = typeof settings === 'string' ? { unknown: settings } : peer(settings);
      if ('unknown' in mapping) {
        yield { id, verdict: 'failed', detail: `${policy}: ${mapping.unknown}` };
        continue;
      }
      if ('unsupported' in mapping) {
        yield {
          id,
          verdict: 'not-implemented',
          reason: mapping.reason,
          detail: `${policy}: ${mapping.unsupported}`,
        };
        continue;
      }
      const body = readFileSync(path, 'utf8');
      const decision = pool
        ? await pool.post(JSON.stringify(mapping), () => webhookPolicy(mapping), body)
        : decide(body, mapping);
      if (typeof decision === 'string') {
        yield { id, verdict: 'failed', detail: `${request}: ${decision}` };
      } else if (decision.allowed === row.expectAllowed) {
        yield { id, verdict: 'passed' };
      } else {
        yield {
          id,
          verdict: 'failed',
          detail: row.expectAllowed
            ? `expected allowed; ${decision.reasons.join(' | ')}`
            : `expected denied; ${mapping.controls.join(', ')} passed`,
        };
      }
    }
  }
}
