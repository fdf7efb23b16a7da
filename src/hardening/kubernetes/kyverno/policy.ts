import type { KubeObject } from '../objects/types.js';
import { compileCel } from './cel.js';
import { CONDITION_OPERATORS } from './conditions.js';
import { expressionsIn, operatorsIn } from './expressions.js';
import { expressionProblem } from './jmespath/search.js';
import { blocksOf } from './match.js';
import { mutationProblem } from './mutate/support.js';
import { knownControl } from './pod-security.js';
import { isObject } from './values.js';

type Rec = Record<string, unknown>;

/** Why a rule is not evaluated: the peer's feature Bulkhead does not run. */
export type UnsupportedCode =
  | 'mutation'
  | 'generate'
  | 'image-verification'
  | 'needs-cluster-data'
  | 'unsupported-feature'
  | 'invalid-policy';

export interface Unsupported {
  code: UnsupportedCode;
  /** The feature, in Kyverno's words. @example 'context apiCall' */
  feature: string;
}

export type FailureAction = 'Audit' | 'Enforce';

export interface KyvernoRule {
  name: string;
  match: unknown;
  exclude: unknown;
  preconditions: unknown;
  /** Rule `context` entries (only `variable` entries are evaluated). */
  context: Rec[];
  validate?: Rec;
  /**
   * The rule's `mutate` block when Bulkhead applies it at admission (mutate/engine.ts); such a rule is still
   * `unsupported` as a validation (`mutation`), since checks and scans do not mutate.
   */
  mutate?: Rec;
  /** Per-rule failure action (`validate.failureAction`), else the policy's. */
  failureAction: FailureAction;
  /** Set when the rule cannot be evaluated: it is reported, never silently passed. */
  unsupported?: Unsupported;
  /**
   * Context entries that read cluster data (`apiCall`, `configMap`…): the rule runs only when the caller supplies
   * their values (a Kyverno CLI values file); otherwise it is `needs-cluster-data`.
   */
  external: { name: string; feature: string }[];
  /** Set when the rule cannot be evaluated whatever values are supplied. */
  blocking?: Unsupported;
}

export interface KyvernoPolicy {
  kind: 'ClusterPolicy' | 'Policy';
  name: string;
  /** The namespace of a namespaced `Policy`: it applies there only. */
  namespace?: string;
  failureAction: FailureAction;
  background: boolean;
  /** Pod controllers the Pod rules also apply to (Kyverno's autogen); empty when none. */
  autogen: string[];
  rules: KyvernoRule[];
  annotations: Record<string, string>;
  file?: string;
}

export const POD_CONTROLLERS = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
] as const;

export function isKyvernoPolicy(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  return (
    typeof o.apiVersion === 'string' &&
    o.apiVersion.startsWith('kyverno.io/') &&
    (o.kind === 'ClusterPolicy' || o.kind === 'Policy')
  );
}

function action(v: unknown): FailureAction | undefined {
  if (typeof v !== 'string') return undefined;
  const lower = v.toLowerCase();
  if (lower === 'enforce') return 'Enforce';
  if (lower === 'audit') return 'Audit';
  return undefined;
}

function resourceDescriptions(m: unknown): Rec[] {
  const { any, all } = blocksOf(m);
  return [...any, ...all].map((b) => (isObject(b.resources) ? b.resources : {}));
}

/** Kyverno's autogen: which controllers a policy's Pod rules extend to (none when a rule names or selects). */
function autogenControllers(rules: Rec[], annotations: Record<string, string>): string[] {
  const requested = annotations['pod-policies.kyverno.io/autogen-controllers'];
  if (requested === 'none') return [];
  let needed = false;
  for (const rule of rules) {
    if (rule.generate) return [];
    if (isObject(rule.mutate) && rule.mutate.patchesJson6902) return [];
    for (const d of [...resourceDescriptions(rule.match), ...resourceDescriptions(rule.exclude)]) {
      const kinds = Array.isArray(d.kinds) ? d.kinds.map(String) : [];
      if (d.name || (Array.isArray(d.names) && d.names.length) || d.selector || d.annotations) return [];
      if (kinds.length > 1 && kinds.includes('Pod')) return [];
      if (kinds.some((k) => k === 'Pod' || (POD_CONTROLLERS as readonly string[]).includes(k))) needed = true;
    }
  }
  if (!needed) return [];
  if (requested)
    return requested
      .split(',')
      .map((s) => s.trim())
      .filter((s) => (POD_CONTROLLERS as readonly string[]).includes(s));
  return [...POD_CONTROLLERS];
}

const VALIDATE_KEYS = new Set([
  'message',
  'pattern',
  'anyPattern',
  'deny',
  'foreach',
  'podSecurity',
  'cel',
  'failureAction',
  'validationFailureAction',
  'failureActionOverrides',
  'allowExistingViolations',
]);

const EXTERNAL = ['apiCall', 'configMap', 'imageRegistry', 'globalReference'] as const;

/** The cluster data a context entry reads (`apiCall`…), or undefined for a plain variable. */
function externalFeature(entry: Rec): string | undefined {
  return EXTERNAL.find((k) => entry[k] !== undefined);
}

/** The context entries of a rule and of its foreach blocks, nested ones included. */
function contextEntries(rule: Rec): Rec[] {
  const out: Rec[] = Array.isArray(rule.context) ? rule.context.filter(isObject) : [];
  const walkForeach = (list: unknown) => {
    for (const f of Array.isArray(list) ? list.filter(isObject) : []) {
      if (Array.isArray(f.context)) out.push(...f.context.filter(isObject));
      walkForeach(f.foreach);
    }
  };
  if (isObject(rule.validate)) walkForeach(rule.validate.foreach);
  if (isObject(rule.mutate)) walkForeach(rule.mutate.foreach);
  return out;
}

/** A mutate rule Bulkhead applies (at admission): not a validation, so checks and scans do not run it. */
const NOT_A_VALIDATION: Unsupported = { code: 'mutation', feature: 'mutate' };

/** What of a rule Bulkhead cannot run (other than cluster data its context reads), or undefined. */
function unsupportedOf(rule: Rec): Unsupported | undefined {
  if (rule.mutate) return mutationProblem(rule) ?? NOT_A_VALIDATION;
  if (rule.generate) return { code: 'generate', feature: 'generate' };
  if (rule.verifyImages) return { code: 'image-verification', feature: 'verifyImages' };
  if (!isObject(rule.validate)) return { code: 'unsupported-feature', feature: 'rule without validate' };
  for (const c of contextEntries(rule))
    if (!c.variable && !externalFeature(c))
      return { code: 'unsupported-feature', feature: `context entry ${String(c.name)}` };
  if (rule.celPreconditions) return { code: 'unsupported-feature', feature: 'celPreconditions' };
  for (const m of [rule.match, rule.exclude])
    for (const b of [...blocksOf(m).any, ...blocksOf(m).all]) {
      if (b.roles || b.clusterRoles)
        return { code: 'needs-cluster-data', feature: 'match roles/clusterRoles' };
    }
  const v = rule.validate;
  for (const k of Object.keys(v))
    if (!VALIDATE_KEYS.has(k)) return { code: 'unsupported-feature', feature: `validate.${k}` };
  if (isObject(v.podSecurity)) {
    for (const e of Array.isArray(v.podSecurity.exclude) ? v.podSecurity.exclude.filter(isObject) : [])
      if (e.restrictedField)
        return { code: 'unsupported-feature', feature: 'podSecurity exclude restrictedField' };
      else if (!knownControl(String(e.controlName)))
        return {
          code: 'invalid-policy',
          feature: `podSecurity exclude controlName "${String(e.controlName)}"`,
        };
  }
  if (isObject(v.cel)) {
    if (v.cel.paramKind || v.cel.paramRef)
      return { code: 'unsupported-feature', feature: 'validate.cel params' };
    try {
      compileCel(v.cel);
    } catch (error) {
      return { code: 'invalid-policy', feature: `validate.cel: ${(error as Error).message}` };
    }
  }
  for (const op of operatorsIn([rule.preconditions, v.deny, v.foreach]))
    if (!CONDITION_OPERATORS.has(op)) return { code: 'unsupported-feature', feature: `operator ${op}` };
  for (const expr of expressionsIn([rule.preconditions, v, rule.context])) {
    const problem = expressionProblem(expr);
    if (problem) return { code: 'unsupported-feature', feature: `expression {{${expr}}}: ${problem}` };
  }
  return undefined;
}

/** A Kyverno ClusterPolicy or Policy as Bulkhead evaluates it; unsupported rules are named, never dropped. */
export function parseKyvernoPolicy(object: KubeObject, file?: string): KyvernoPolicy {
  const spec: Rec = isObject(object.spec) ? object.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObject) : [];
  const annotations = object.metadata.annotations ?? {};
  const failureAction = action(spec.validationFailureAction) ?? 'Audit';
  return {
    kind: object.kind as 'ClusterPolicy',
    name: object.metadata.name ?? '',
    ...(object.kind === 'Policy' ? { namespace: object.metadata.namespace ?? 'default' } : {}),
    failureAction,
    background: spec.background !== false,
    autogen: autogenControllers(rules, annotations),
    annotations,
    rules: rules.map((r) => {
      const blocking = unsupportedOf(r);
      const external = contextEntries(r).flatMap((c) => {
        const feature = externalFeature(c);
        return feature ? [{ name: String(c.name ?? ''), feature: `context ${feature}` }] : [];
      });
      const needsData: Unsupported | undefined = external.length
        ? { code: 'needs-cluster-data', feature: external[0]!.feature }
        : undefined;
      // a mutation runs at admission unless its context reads cluster data
      const mutates = blocking === NOT_A_VALIDATION && !needsData;
      const unsupported = blocking === NOT_A_VALIDATION ? (needsData ?? blocking) : (blocking ?? needsData);
      const v = isObject(r.validate) ? r.validate : undefined;
      return {
        name: String(r.name ?? ''),
        match: r.match,
        exclude: r.exclude,
        preconditions: r.preconditions,
        context: Array.isArray(r.context) ? r.context.filter(isObject) : [],
        ...(v ? { validate: v } : {}),
        ...(mutates ? { mutate: r.mutate as Rec } : {}),
        failureAction: action(v?.failureAction) ?? action(v?.validationFailureAction) ?? failureAction,
        ...(unsupported ? { unsupported } : {}),
        external,
        ...(blocking ? { blocking } : {}),
      };
    }),
    ...(file ? { file } : {}),
  };
}
