import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import type { KubeException } from '../../../src/hardening/kubernetes/exceptions.js';
import type { Parameters } from '../../../src/hardening/kubernetes/parameters/schema.js';
import { parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

interface PeerCheck {
  controls: string[];
  params?: Partial<Parameters>;
  /** Kinds the peer check looks at; other objects of the file are context only. */
  kinds?: string[];
}

const WORKLOADS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicaSet',
  'ReplicationController',
];

/** Polaris check id → catalogue rows. Checks absent here have no row and count as not implemented. */
export const POLARIS_CHECKS: Readonly<Record<string, PeerCheck>> = {
  automountServiceAccountToken: { controls: ['K8S-SA-01'], kinds: WORKLOADS },
  clusterrolePodExecAttach: { controls: ['K8S-RBAC-05'], kinds: ['ClusterRole'] },
  rolePodExecAttach: { controls: ['K8S-RBAC-05'], kinds: ['Role'] },
  clusterrolebindingPodExecAttach: { controls: ['K8S-RBAC-05'], kinds: ['ClusterRoleBinding'] },
  rolebindingClusterRolePodExecAttach: { controls: ['K8S-RBAC-05'], kinds: ['RoleBinding'] },
  rolebindingRolePodExecAttach: { controls: ['K8S-RBAC-05'], kinds: ['RoleBinding'] },
  clusterrolebindingClusterAdmin: { controls: ['K8S-RBAC-01'], kinds: ['ClusterRoleBinding'] },
  rolebindingClusterAdminClusterRole: { controls: ['K8S-RBAC-01'], kinds: ['RoleBinding'] },
  rolebindingClusterAdminRole: { controls: ['K8S-RBAC-01'], kinds: ['RoleBinding'] },
  cpuLimitsMissing: { controls: ['K8S-RES-01'] },
  memoryLimitsMissing: { controls: ['K8S-RES-02'] },
  cpuRequestsMissing: { controls: ['K8S-RES-03'], params: { requiredRequests: ['cpu'] } },
  memoryRequestsMissing: { controls: ['K8S-RES-03'], params: { requiredRequests: ['memory'] } },
  dangerousCapabilities: {
    controls: ['K8S-POD-10'],
    params: { disallowedCapabilities: ['SYS_ADMIN', 'NET_ADMIN', 'ALL'] },
  },
  deploymentMissingReplicas: { controls: ['K8S-REL-05'] },
  hostIPCSet: { controls: ['K8S-POD-03'] },
  hostNetworkSet: { controls: ['K8S-POD-04'] },
  hostPIDSet: { controls: ['K8S-POD-02'] },
  hostPathSet: { controls: ['K8S-POD-06'] },
  hostPortSet: { controls: ['K8S-POD-05'] },
  hostProcess: { controls: ['K8S-POD-23'] },
  hpaMinAvailability: {
    controls: ['K8S-REL-09'],
    kinds: ['HorizontalPodAutoscaler'],
    params: { minHpaSpread: 0, hpaRequireTarget: false },
  },
  hpaMaxAvailability: {
    controls: ['K8S-REL-09'],
    kinds: ['HorizontalPodAutoscaler'],
    params: { hpaMinReplicas: 0, hpaRequireTarget: false },
  },
  insecureCapabilities: {
    controls: ['K8S-POD-11'],
    params: {
      requiredDropCapabilities: [
        'CHOWN',
        'DAC_OVERRIDE',
        'FSETID',
        'FOWNER',
        'MKNOD',
        'NET_RAW',
        'SETGID',
        'SETUID',
        'SETFCAP',
        'SETPCAP',
        'NET_BIND_SERVICE',
        'SYS_CHROOT',
        'KILL',
        'AUDIT_WRITE',
      ],
      restrictAddToNetBindService: false,
    },
  },
  linuxHardening: { controls: ['K8S-POD-18'], params: { acceptAnyLinuxHardening: true } },
  livenessProbeMissing: { controls: ['K8S-REL-02'] },
  readinessProbeMissing: { controls: ['K8S-REL-01'] },
  metadataAndInstanceMismatched: { controls: ['K8S-REL-12'] },
  missingNetworkPolicy: { controls: ['K8S-NET-01'], kinds: WORKLOADS },
  missingPodDisruptionBudget: { controls: ['K8S-REL-06'], params: { pdbMinReplicas: 0 } },
  notReadOnlyRootFilesystem: { controls: ['K8S-POD-27'] },
  pdbDisruptionsIsZero: {
    controls: ['K8S-REL-07'],
    kinds: ['PodDisruptionBudget'],
    params: { pdbRequirePolicy: false },
  },
  pdbMinAvailableGreaterThanHPAMinReplicas: {
    controls: ['K8S-REL-07'],
    kinds: ['PodDisruptionBudget'],
    params: { pdbRequirePolicy: false, pdbAgainstHpaOnly: true },
  },
  priorityClassNotSet: { controls: ['K8S-REL-14'] },
  privilegeEscalationAllowed: { controls: ['K8S-POD-13'] },
  procMount: { controls: ['K8S-POD-21'] },
  pullPolicyNotAlways: {
    controls: ['K8S-IMG-05'],
    params: { allowedPullPolicies: ['Always'], pullPolicyDefaulting: false },
  },
  runAsPrivileged: { controls: ['K8S-POD-01'] },
  runAsRootAllowed: { controls: ['K8S-POD-14'] },
  sensitiveConfigmapContent: { controls: ['K8S-SA-06'], kinds: ['ConfigMap'] },
  sensitiveContainerEnvVar: { controls: ['K8S-SA-06'], kinds: WORKLOADS },
  tagNotSpecified: { controls: ['K8S-IMG-03'] },
  tlsSettingsMissing: { controls: ['K8S-NET-04'], params: { ingressRequireAllowHttpFalse: false } },
  topologySpreadConstraint: { controls: ['K8S-REL-08'] },
};

type Schema = { required?: string[]; properties?: Record<string, Schema> } & Record<string, unknown>;

/**
 * A custom Polaris check (its `check.yaml` beside the test files) whose JSON schema bounds container resources
 * with `resourceMinimum` / `resourceMaximum` (Polaris' own keywords): required values become K8S-RES-01/02/03,
 * the bounds K8S-RES-04's resourceBounds. Other custom checks are not translated.
 */
function resourceRangeCheck(checkFile: string): PeerCheck | undefined {
  if (!existsSync(checkFile)) return undefined;
  const check = yamlFile<{ target?: string; schema?: Schema }>(checkFile);
  const resources = check?.schema?.properties?.resources;
  if (check?.target !== 'Container' || !resources?.properties) return undefined;
  const bounds: Record<string, Record<string, string>> = {};
  const requiredLimits: ('cpu' | 'memory')[] = [];
  const requiredRequests: ('cpu' | 'memory')[] = [];
  for (const [kind, key] of [
    ['limits', 'Limit'],
    ['requests', 'Request'],
  ] as const) {
    const part = resources.properties[kind];
    if (!part?.properties) continue;
    for (const name of ['cpu', 'memory'] as const) {
      const field = part.properties[name];
      if (!field) continue;
      if (part.required?.includes(name)) (kind === 'limits' ? requiredLimits : requiredRequests).push(name);
      bounds[name] ??= {};
      const b = bounds[name];
      if (field.resourceMinimum !== undefined) b[`min${key}`] = String(field.resourceMinimum);
      if (field.resourceMaximum !== undefined) b[`max${key}`] = String(field.resourceMaximum);
    }
  }
  if (Object.keys(bounds).length === 0) return undefined;
  return {
    controls: ['K8S-RES-01', 'K8S-RES-02', 'K8S-RES-03', 'K8S-RES-04'],
    params: { requiredLimits, requiredRequests, resourceBounds: bounds },
  };
}

/** Object names the Polaris RBAC check definitions exempt (built-in roles, system: components). */
const RBAC_EXEMPT_NAMES = ['admin', 'cluster-admin', 'edit', 'system:*', 'gce:podsecuritypolicy:calico-sa'];

/**
 * Polaris' default exemptions (pkg/config/default.yaml and the RBAC check definitions) expressed as Bulkhead
 * exceptions for the rows that implement `check`.
 */
function exemptions(dir: string, check: string, peer: PeerCheck): KubeException[] {
  const out: KubeException[] = [];
  const reason = `Polaris default exemption for ${check}`;
  if (/Role|role/.test(check))
    for (const id of peer.controls) out.push({ id, reason, names: RBAC_EXEMPT_NAMES });
  const file = join(dir, 'pkg', 'config', 'default.yaml');
  if (!existsSync(file)) return out;
  const config = yamlFile<{
    exemptions?: { namespace?: string; controllerNames?: string[]; rules?: string[] }[];
  }>(file);
  for (const e of config?.exemptions ?? []) {
    if (!e.rules?.includes(check) || !e.controllerNames?.length) continue;
    for (const id of peer.controls)
      out.push({
        id,
        reason,
        names: e.controllerNames.map((n) => `${n}*`),
        ...(e.namespace ? { namespaces: [e.namespace] } : {}),
      });
  }
  return out;
}

/** Polaris test checks: `test/checks/<checkId>/{success,failure}*.yaml` must pass/fail that check. */
export const polarisSuite: ConformanceSuite = {
  name: 'polaris',
  description: 'FairwindsOps/polaris test/checks success and failure files',
  defaultDir: 'manifests/polaris',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const file of filesUnder(dir, (n) => /^(success|failure).*\.ya?ml$/.test(n))) {
      const check = basename(dirname(file));
      if (!rel(dir, file).split(/[\\/]/).includes('checks')) continue;
      const id = rel(dir, file);
      const peer = POLARIS_CHECKS[check] ?? resourceRangeCheck(join(dirname(file), 'check.yaml'));
      if (!peer) {
        yield { id, verdict: 'not-implemented', detail: `Polaris check ${check}` };
        continue;
      }
      const expectFail = basename(file).startsWith('failure');
      const objects = objectsOf(file);
      const subjects = objects.filter((o) => !peer.kinds || peer.kinds.includes(o.object.kind));
      const parameters = parametersSchema.parse(peer.params ?? {});
      const results = evaluate(subjects, {
        controls: peer.controls,
        parameters,
        exceptions: exemptions(dir, check, peer),
        context: objects.filter((o) => !subjects.includes(o)),
      });
      const failed = results.filter((r) => r.status === 'fail' && !r.suppressedBy);
      if (failed.length > 0 === expectFail) yield { id, verdict: 'passed' };
      else
        yield {
          id,
          verdict: 'failed',
          detail: expectFail
            ? `expected ${check} to fail; ${results.length} results passed`
            : `expected pass; ${failed.map((r) => `${r.control}: ${r.message}`).join(' | ')}`,
        };
    }
  },
};
