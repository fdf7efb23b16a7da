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
      : mapped(
          s,
          ['allowPrivilegeEscalation'],
          ['K8S-POD-13'],
          { privilegeEscalationExplicitOnly: true },
          {
            default_allow_privilege_escalation: 'mutation',
          },
        ),
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
    const values = list(s.values);
    const rule: Record<string, Partial<Parameters>> = {
      containsAllOf: { requiredLabels: values.map((key) => ({ key })) },
      containsAnyOf: { anyOfLabels: values },
      doesNotContainAnyOf: { deniedLabels: values.map((key) => ({ key })) },
      doesNotContainOtherThan: { allowedLabelKeys: values },
    };
    const params = rule[String(s.criteria)];
    if (!params) return { unknown: `criteria ${String(s.criteria)} is not a criteria Bulkhead knows` };
    return mapped(s, ['criteria', 'values'], ['K8S-NS-03'], { ...params, validateLabelValues: false });
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
    mapped(s, ['mandatory_annotations', 'denied_annotations', 'constrained_annotations'], ['K8S-NS-04'], {
      requiredAnnotations: list(s.mandatory_annotations).map((key) => ({ key })),
      deniedAnnotations: list(s.denied_annotations).map((key) => ({ key })),
      annotationValuePatterns: Object.entries(record(s.constrained_annotations)).map(([key, re]) => ({
        key,
        allowedRegex: String(re),
      })),
    }),
  'allowed-fsgroups-psp-policy': (s) => {
    // MustRunAs fills a missing fsGroup by mutation upstream: the verdict is MayRunAs's (a set one must be in range)
    const rule = String(s.rule);
    if (!['MustRunAs', 'MayRunAs', 'RunAsAny'].includes(rule))
      return { unknown: `fsGroup rule ${rule} is not a rule Bulkhead knows` };
    return mapped(s, ['rule', 'ranges'], ['K8S-POD-16'], {
      checkUserGroupIds: false,
      fsGroupRule: rule === 'RunAsAny' ? 'RunAsAny' : 'MayRunAs',
      fsGroupRanges: (Array.isArray(s.ranges) ? s.ranges : []).map((r) => ({
        min: Number(record(r).min),
        max: Number(record(r).max),
      })),
    });
  },
  'allowed-proc-mount-types-psp-policy': (s) =>
    mapped(s, ['allow_unmasked_proc_mount_type'], ['K8S-POD-21'], {
      allowedProcMount: s.allow_unmasked_proc_mount_type === true ? 'Unmasked' : 'Default',
    }),
  'environment-variable-policy': (s) => {
    const rules = (Array.isArray(s.rules) ? s.rules : []).map(record);
    for (const r of rules) {
      const problem = settingsProblem(r, ['reject', 'environmentVariables']);
      if (problem) return problem;
    }
    return mapped(s, ['rules'], ['K8S-SA-10'], {
      envRules: rules.map((r) => ({
        reject: String(r.reject) as Parameters['envRules'][number]['reject'],
        variables: (Array.isArray(r.environmentVariables) ? r.environmentVariables : []).map((v) => ({
          name: String(record(v).name),
          ...(record(v).value === undefined ? {} : { value: String(record(v).value) }),
        })),
      })),
    });
  },
  'host-namespaces-psp-policy': (s) => {
    const ports = (Array.isArray(s.allow_host_ports) ? s.allow_host_ports : []).map(record);
    if (ports.length > 1) return unsupported('unsupported-feature', 'more than one allowed host port range');
    const controls = [
      ...(s.allow_host_pid === true ? [] : ['K8S-POD-02']),
      ...(s.allow_host_ipc === true ? [] : ['K8S-POD-03']),
      'K8S-POD-04',
      'K8S-POD-05',
    ];
    return mapped(
      s,
      ['allow_host_ipc', 'allow_host_network', 'allow_host_pid', 'allow_host_ports'],
      controls,
      {
        allowHostNetwork: s.allow_host_network === true,
        ...(ports[0] ? { hostPortRange: { min: Number(ports[0].min), max: Number(ports[0].max) } } : {}),
      },
    );
  },
  'ingress-policy': (s) =>
    mapped(
      s,
      ['requireTLS', 'allowPorts', 'denyPorts'],
      [...(s.requireTLS === true ? ['K8S-NET-04'] : []), 'K8S-NET-11'],
      {
        ingressRequireAllowHttpFalse: false,
        ingressAllowedPorts: list(s.allowPorts).map(Number),
        ingressDeniedPorts: list(s.denyPorts).map(Number),
      },
    ),
  'pod-privileged-policy': (s) =>
    mapped(s, ['skip_init_containers', 'skip_ephemeral_containers'], ['K8S-POD-01'], {
      containerScope: {
        'K8S-POD-01': [
          'containers',
          ...(s.skip_init_containers === true ? [] : (['initContainers'] as const)),
          ...(s.skip_ephemeral_containers === true ? [] : (['ephemeralContainers'] as const)),
        ],
      },
    }),
  'readonly-root-filesystem-psp-policy': (s) => mapped(s, [], ['K8S-POD-27']),
  'safe-labels-policy': (s) =>
    mapped(s, ['mandatory_labels', 'denied_labels', 'constrained_labels'], ['K8S-NS-03'], {
      validateLabelValues: false,
      requiredLabels: list(s.mandatory_labels).map((key) => ({ key })),
      deniedLabels: list(s.denied_labels).map((key) => ({ key })),
      labelValuePatterns: Object.entries(record(s.constrained_labels)).map(([key, re]) => ({
        key,
        allowedRegex: String(re),
      })),
    }),
  'sysctl-psp-policy': (s) =>
    mapped(s, ['allowedUnsafeSysctls', 'forbiddenSysctls'], ['K8S-POD-22'], {
      allowedUnsafeSysctls: list(s.allowedUnsafeSysctls),
      forbiddenSysctls: list(s.forbiddenSysctls),
    }),
  'selinux-psp-policy': (s) => {
    // RunAsAny checks nothing; MustRunAs pins the options a set seLinuxOptions must equal (unset ones are
    // filled in by mutation upstream, which does not change the verdict)
    if (s.rule === 'RunAsAny') return mapped(s, ['rule', 'user', 'role', 'type', 'level'], []);
    if (s.rule !== 'MustRunAs')
      return { unknown: `SELinux rule ${String(s.rule)} is not a rule Bulkhead knows` };
    const options = Object.fromEntries(
      (['user', 'role', 'type', 'level'] as const).flatMap((k) =>
        s[k] === undefined ? [] : [[k, String(s[k])]],
      ),
    );
    return mapped(s, ['rule', 'user', 'role', 'type', 'level'], ['K8S-POD-20'], {
      allowedSELinuxOptions: [options],
    });
  },
  'share-pid-namespace-policy': (s) => mapped(s, [], ['K8S-POD-02'], { denyShareProcessNamespace: true }),
  'pod-runtime-class-policy': (s) =>
    mapped(
      s,
      ['reservedRuntimes', 'defaultRuntimeReserved'],
      ['K8S-POD-34'],
      {
        reservedRuntimeClasses: list(s.reservedRuntimes),
        defaultRuntimeReserved: s.defaultRuntimeReserved === true,
      },
      { fallbackRuntime: 'mutation' },
    ),
  'priority-class-policy': (s) =>
    mapped(
      s,
      ['allowed_priority_classes', 'denied_priority_classes'],
      ['K8S-REL-14'],
      {
        allowedPriorityClasses: list(s.allowed_priority_classes),
        deniedPriorityClasses: list(s.denied_priority_classes),
      },
      { default_priority_class: 'mutation' },
    ),
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
    mapped(s, ['allowedTypes', 'ignoreInitContainersVolumes'], ['K8S-POD-25'], {
      allowedVolumeTypes: list(s.allowedTypes),
      volumeTypesSkipInitOnly: s.ignoreInitContainersVolumes === true,
    }),
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
  'psa-label-enforcer-policy': { reason: 'mutation', what: 'adds Pod Security Admission labels' },
  'rancher-project-propagate-labels': { reason: 'mutation', what: 'copies Rancher project labels' },
  'raw-mutation-policy': { reason: 'mutation', what: 'mutates raw (non-Kubernetes) requests' },
  'raw-mutation-wasi-policy': { reason: 'mutation', what: 'mutates raw (non-Kubernetes) requests' },
  'runtime-enforcer-policy': {
    reason: 'needs-cluster-data',
    what: 'reads workload policies from the cluster',
  },
  'raw-validation-policy': { reason: 'unsupported-feature', what: 'validates raw (non-Kubernetes) requests' },
  'raw-validation-wasi-policy': {
    reason: 'unsupported-feature',
    what: 'validates raw (non-Kubernetes) requests',
  },
  'unique-ingress-policy': {
    reason: 'needs-cluster-data',
    what: 'compares with the Ingresses in the cluster',
  },
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
