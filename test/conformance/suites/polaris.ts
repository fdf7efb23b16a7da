import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describeIssue } from '../../../src/core/schema-issue.js';
import type { Control } from '../../../src/hardening/kubernetes/controls/types.js';
import {
  compileCustomChecks,
  polarisCheckSchema,
} from '../../../src/hardening/kubernetes/custom-checks/index.js';
import { type EvaluatedResult, evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import type { KubeException } from '../../../src/hardening/kubernetes/exceptions.js';
import { podSpecOf } from '../../../src/hardening/kubernetes/objects/pod-spec.js';
import type { KubeObject } from '../../../src/hardening/kubernetes/objects/types.js';
import type { Parameters } from '../../../src/hardening/kubernetes/parameters/schema.js';
import { parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

interface PeerCheck {
  controls: string[];
  params?: Partial<Parameters>;
  /** Parameters read from the check's own definition (`pkg/config/checks/<check>.yaml`). */
  fromDefinition?: (definition: CheckDefinition) => Partial<Parameters>;
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
    // the capabilities `add` must not contain
    fromDefinition: (d) => ({ disallowedCapabilities: capabilityPatterns(d.schema) }),
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
    // the capabilities `drop` must contain (when it does not drop ALL)
    fromDefinition: (d) => ({
      requiredDropCapabilities: capabilityPatterns(d.schema).filter((c) => c !== 'ALL'),
      restrictAddToNetBindService: false,
    }),
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

/** A Polaris check definition: its target and JSON Schema (`schema`, or `schemaString` holding YAML). */
interface CheckDefinition {
  target?: string;
  schema?: Schema;
  schemaString?: string;
  containers?: { exclude?: string[] };
}

/**
 * The check's definition in the peer's `pkg/config/checks/`, its schema parsed. A `schemaString` that is a Go
 * template (filled per object by Polaris) is left unparsed: no parameter is read from it.
 */
function definitionOf(dir: string, check: string): CheckDefinition | undefined {
  const file = join(dir, 'pkg', 'config', 'checks', `${check}.yaml`);
  if (!existsSync(file)) return undefined;
  const d = yamlFile<CheckDefinition>(file);
  if (!d.schemaString || d.schemaString.includes('{{')) return d;
  return { ...d, schema: parse(d.schemaString) as Schema };
}

/** Capability names a schema matches with Polaris' `^(?i)NAME$` patterns, in order. */
function capabilityPatterns(schema: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const m = k === 'pattern' && typeof x === 'string' ? /^\^\(\?i\)([A-Z_]+)\$$/.exec(x) : null;
        if (m) out.push(m[1]!);
        else visit(x);
      }
  };
  visit(schema);
  return [...new Set(out)];
}

/**
 * Object names an RBAC check's definition exempts (`metadata.name` `const`s, and `^prefix` patterns as
 * `prefix*`).
 */
function exemptNames(schema: Schema | undefined): string[] {
  const out: string[] = [];
  for (const branch of (schema?.anyOf as Schema[] | undefined) ?? []) {
    const name = branch.properties?.metadata?.properties?.name;
    for (const alt of (name?.anyOf as Schema[] | undefined) ?? []) {
      if (typeof alt.const === 'string') out.push(alt.const);
      if (typeof alt.pattern === 'string' && /^\^[^$*+?()[\]\\]*$/.test(alt.pattern))
        out.push(`${alt.pattern.slice(1)}*`);
    }
  }
  return out;
}

/**
 * Polaris' default exemptions (pkg/config/default.yaml and the RBAC check definitions) expressed as Bulkhead
 * exceptions for the rows that implement `check`.
 */
function exemptions(
  dir: string,
  check: string,
  peer: PeerCheck,
  definition: CheckDefinition | undefined,
): KubeException[] {
  const out: KubeException[] = [];
  const reason = `Polaris default exemption for ${check}`;
  const names = exemptNames(definition?.schema);
  if (names.length) for (const id of peer.controls) out.push({ id, reason, names });
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

const CONTAINER_TYPES: Readonly<Record<string, string>> = {
  initContainer: 'initContainers',
  container: 'containers',
  ephemeralContainer: 'ephemeralContainers',
};

type Resolved =
  | { peer: PeerCheck; definition?: CheckDefinition }
  | { custom: Control }
  | Omit<CaseOutcome, 'id'>;

/**
 * A check of the catalogue (with its definition), or a custom check beside the test files compiled by the
 * policy file's custom-check engine (as a user's `customChecks.<id>` entry), or why not.
 */
function resolve(dir: string, file: string, check: string): Resolved {
  const known = POLARIS_CHECKS[check];
  if (known) return { peer: known, definition: definitionOf(dir, check) };
  const customFile = join(dirname(file), 'check.yaml');
  if (!existsSync(customFile)) return { verdict: 'failed', detail: `unknown Polaris check ${check}` };
  const parsed = polarisCheckSchema.safeParse(yamlFile<unknown>(customFile));
  if (!parsed.success)
    return {
      verdict: 'failed',
      detail: `custom check ${check}: ${describeIssue(parsed.error.issues[0]!).replace(/^the document: /, '')}`,
    };
  try {
    return { custom: compileCustomChecks({ [check]: parsed.data }, [], rel(dir, customFile))[0]! };
  } catch (error) {
    return { verdict: 'failed', detail: (error as Error).message };
  }
}

/** A container type the check excludes that the object holds (Bulkhead's rows judge every type), if any. */
function heldExcluded(object: KubeObject, definition: CheckDefinition | undefined): string | undefined {
  const spec = podSpecOf(object)?.spec ?? {};
  return (definition?.containers?.exclude ?? []).find((t) => {
    const held = spec[CONTAINER_TYPES[t]!];
    return Array.isArray(held) && held.length > 0;
  });
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
      const resolved = resolve(dir, file, check);
      const expectFail = basename(file).startsWith('failure');
      if ('custom' in resolved) {
        const results = evaluate(objectsOf(file), {
          controls: [resolved.custom.id],
          customControls: [resolved.custom],
        });
        yield verdictOf(id, check, expectFail, results);
        continue;
      }
      if (!('peer' in resolved)) {
        yield { id, ...resolved };
        continue;
      }
      const { peer, definition } = resolved;
      if (peer.fromDefinition && !definition) {
        yield {
          id,
          verdict: 'failed',
          detail: `${check}: its definition pkg/config/checks/${check}.yaml is missing`,
        };
        continue;
      }
      const objects = objectsOf(file);
      const excluded = objects.map((o) => heldExcluded(o.object, definition)).find(Boolean);
      if (excluded) {
        yield {
          id,
          verdict: 'not-implemented',
          reason: 'unsupported-feature',
          detail: `${check} excludes ${excluded}s: rows cannot be scoped to container types`,
        };
        continue;
      }
      const subjects = objects.filter((o) => !peer.kinds || peer.kinds.includes(o.object.kind));
      const parameters = parametersSchema.parse({
        ...peer.params,
        ...(definition && peer.fromDefinition ? peer.fromDefinition(definition) : {}),
      });
      const results = evaluate(subjects, {
        controls: peer.controls,
        parameters,
        exceptions: exemptions(dir, check, peer, definition),
        context: objects.filter((o) => !subjects.includes(o)),
      });
      yield verdictOf(id, check, expectFail, results);
    }
  },
};

/** The case's verdict: some unsuppressed failure for a `failure*` file, none for a `success*` file. */
function verdictOf(id: string, check: string, expectFail: boolean, results: EvaluatedResult[]): CaseOutcome {
  const failed = results.filter((r) => r.status === 'fail' && !r.suppressedBy);
  if (failed.length > 0 === expectFail) return { id, verdict: 'passed' };
  return {
    id,
    verdict: 'failed',
    detail: expectFail
      ? `expected ${check} to fail; ${results.length} results passed`
      : `expected pass; ${failed.map((r) => `${r.control}: ${r.message}`).join(' | ')}`,
  };
}
