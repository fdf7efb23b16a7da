import type { ResourceRef, ResourceType } from '../../core/resource.js';
import type { ControlResult, CountedPasses } from '../../core/results.js';
import { CONTROLS } from './controls/index.js';
import {
  BEST_PRACTICE_STANDARDS,
  type Control,
  type EvalContext,
  type StandardSelection,
} from './controls/types.js';
import { type KubeException, matchExceptions } from './exceptions.js';
import { Inventory } from './inventory.js';
import { withDefaultsAll } from './objects/defaults.js';
import type { KubeObject, LoadedObject } from './objects/types.js';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters/schema.js';
import type { PssVersion } from './pss/types.js';
import { LATEST_PSS_VERSION } from './pss/version.js';

export interface EvaluateOptions {
  /** Which rows to run (by their standards column). Default `all`. */
  standard?: StandardSelection;
  parameters?: Parameters;
  exceptions?: readonly KubeException[];
  pssVersion?: PssVersion;
  /** Restrict to these control ids. */
  controls?: readonly string[];
  /** A policy file's custom checks: run whatever the standard (they belong to none), subject to `controls`. */
  customControls?: readonly Control[];
  /** Objects used only as context (cluster inventory), not reported on. */
  context?: readonly LoadedObject[];
  now?: Date;
  /**
   * Count the passes in `Evaluation.passes` instead of keeping a result for each: for a run whose output lists no
   * pass (no --include-passed, no document for a center). Everything else says the same.
   */
  countPasses?: boolean;
}

/** A result with the object it concerns (file, line) and what suppressed it. */
export interface EvaluatedResult extends ControlResult {
  source: LoadedObject['source'];
}

export interface Evaluation {
  /** Every result; with `countPasses`, every result but the passes this evaluation counted. */
  results: EvaluatedResult[];
  /** The passes counted (`countPasses`); results pushed later are not in it. */
  passes?: CountedPasses<LoadedObject['source']>;
  /** Expired exceptions that matched a result: they no longer suppress it. */
  expiredExceptions: { exception: KubeException; control: string; resource: ResourceRef }[];
}

export function controlSelected(control: Control, standard: StandardSelection): boolean {
  if (standard === 'all') return true;
  if (standard === 'security') return control.standards.some((s) => !BEST_PRACTICE_STANDARDS.includes(s));
  if (control.standards.includes(standard)) return true;
  return standard === 'pss-restricted' && control.standards.includes('pss-baseline');
}

const RESOURCE_TYPE: Readonly<Record<string, ResourceType>> = {
  Pod: 'pod',
  Deployment: 'workload',
  ReplicaSet: 'workload',
  StatefulSet: 'workload',
  DaemonSet: 'workload',
  Job: 'workload',
  CronJob: 'workload',
  ReplicationController: 'workload',
  ServiceAccount: 'service-account',
  Role: 'role',
  ClusterRole: 'role',
  RoleBinding: 'binding',
  ClusterRoleBinding: 'binding',
  Namespace: 'namespace',
  Cluster: 'cluster',
};

/** The resource a Kubernetes object is in results: `namespace/Kind/name` (cluster-scoped: `Kind/name`). */
export function resourceOf(object: KubeObject): ResourceRef {
  const name = object.metadata.name ?? object.metadata.generateName ?? '(unnamed)';
  const namespace = object.metadata.namespace;
  return {
    type: RESOURCE_TYPE[object.kind] ?? 'object',
    id: `${namespace ? `${namespace}/` : ''}${object.kind}/${name}`,
    name,
    apiVersion: object.apiVersion,
    kind: object.kind,
    ...(namespace ? { namespace } : {}),
  };
}

/**
 * A copy of each control's standards that all of its results in one evaluation share: 10,000 objects give 330,000
 * results, and a copy each cost 10 MB.
 */
function sharedStandards(controls: readonly Control[]): Map<string, string[]> {
  return new Map(controls.map((c) => [c.id, [...c.standards]]));
}

/**
 * One string per distinct text in one evaluation, for failures' messages (their findings' messages joined) and
 * fields: the same failure on 10,000 objects is mostly the same words, and a string each cost 9 MB for 120,000
 * failures (more once written, each then flattened).
 */
function texts(): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    seen.set(text, text);
    return text;
  };
}

/**
 * Run the selected controls over objects: one result per (control, object) the control applies to.
 * Controls judge every object (and context object) with the API server's defaults (objects/defaults.ts); the
 * given objects are not changed and results keep their file and line.
 * Synchronous and pure; the admission webhook calls it per request with the same options.
 */
export function evaluateDetailed(
  givenObjects: readonly LoadedObject[],
  options: EvaluateOptions = {},
): Evaluation {
  const objects = withDefaultsAll(givenObjects);
  const standard = options.standard ?? 'all';
  const params = options.parameters ?? DEFAULT_PARAMETERS;
  const exceptions = options.exceptions ?? [];
  const now = options.now ?? new Date();
  const ctx: EvalContext = {
    params,
    standard,
    pssVersion: options.pssVersion ?? LATEST_PSS_VERSION,
    inventory: new Inventory(options.context ? [...objects, ...withDefaultsAll(options.context)] : objects),
  };
  const ids = options.controls ? new Set(options.controls) : undefined;
  const controls = [
    ...CONTROLS.filter((c) => controlSelected(c, standard)),
    ...(options.customControls ?? []),
  ].filter((c) => !ids || ids.has(c.id));
  const excluded = new Set(params.excludedNamespaces);
  const standardsOf = sharedStandards(controls);
  const shared = texts();
  const evaluation: Evaluation = { results: [], expiredExceptions: [] };
  const passes: Evaluation['passes'] = options.countPasses ? { controls: new Map(), objects: [] } : undefined;
  if (passes) evaluation.passes = passes;
  for (const item of objects) {
    if (item.object.metadata.namespace && excluded.has(item.object.metadata.namespace)) continue;
    let resource: ResourceRef | undefined;
    for (const control of controls) {
      const findings = control.check(item, ctx);
      if (findings === null) continue;
      if (!resource) {
        resource = resourceOf(item.object);
        passes?.objects.push({ resource, source: item.source });
      }
      const failed = findings.length > 0;
      if (!failed && passes) {
        const counted = passes.controls.get(control.id);
        if (counted) counted.n++;
        else
          passes.controls.set(control.id, {
            title: control.title,
            severity: control.severity,
            standards: standardsOf.get(control.id)!,
            controlVersion: control.version,
            n: 1,
          });
        continue;
      }
      const result: EvaluatedResult = {
        control: control.id,
        controlVersion: control.version,
        title: control.title,
        severity: control.severity,
        standards: standardsOf.get(control.id)!,
        resource,
        status: failed ? 'fail' : 'pass',
        message: failed ? shared(findings.map((f) => f.message).join('; ')) : 'passed',
        ...(failed && findings[0]!.field ? { field: shared(findings[0]!.field) } : {}),
        ...(failed && findings.length > 1 ? { evidence: { findings } } : {}),
        remediation: control.remediation,
        source: item.source,
      };
      if (failed && exceptions.length) {
        const { active, expired } = matchExceptions(exceptions, control.id, item.object, now);
        if (active)
          result.suppressedBy = {
            reason: active.reason,
            ...(active.expires ? { expires: active.expires } : {}),
          };
        for (const e of expired)
          evaluation.expiredExceptions.push({ exception: e, control: control.id, resource });
      }
      evaluation.results.push(result);
    }
  }
  return evaluation;
}

/** The results alone. @example evaluate(loadObjects(inputs).objects, { standard: 'pss-restricted' }) */
export function evaluate(objects: readonly LoadedObject[], options: EvaluateOptions = {}): EvaluatedResult[] {
  return evaluateDetailed(objects, options).results;
}
