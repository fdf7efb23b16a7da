import type { KubeObject, LoadedObject } from '../objects/types.js';
import { baseContext, withValues } from './context.js';
import { exceptionFor, type PolicyException } from './exceptions.js';
import { type MatchSubject, ruleExcludes, ruleMatches } from './match.js';
import type { KyvernoPolicy, KyvernoRule } from './policy.js';
import { isObject } from './values.js';

export interface KyvernoEvalOptions {
  /** Labels of a namespace by name (namespaceSelector). */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
  /** A background scan: policies with `background: false` (admission-only) do not apply. */
  background?: boolean;
  /**
   * Values supplied from outside per rule (a Kyverno CLI values file): variables by name or dotted path; they
   * stand in for context entries of the same name, so rules reading cluster data can run.
   */
  values?: (rule: string) => Readonly<Record<string, unknown>> | undefined;
  /** PolicyExceptions: a rule they name is skipped on the resources they match. */
  exceptions?: readonly PolicyException[];
}

/** Where a pod controller keeps its Pod template. */
export function templatePath(kind: string): string[] {
  return kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
}

/** The Pod a pod controller's template describes: autogen rules judge it as their Pod rule would. */
export function podView(object: KubeObject): KubeObject | undefined {
  let t: unknown = object;
  for (const k of templatePath(object.kind)) t = isObject(t) ? t[k] : undefined;
  if (!isObject(t)) return undefined;
  const metadata = isObject(t.metadata) ? t.metadata : {};
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: isObject(t.spec) ? t.spec : {} };
}

/** The pod view of an object when the policy's Pod rules extend to its kind (Kyverno's autogen). */
export function autogenView(policy: KyvernoPolicy, object: KubeObject): KubeObject | undefined {
  return policy.autogen.includes(object.kind) ? podView(object) : undefined;
}

function ruleMatchesPods(rule: KyvernoRule): boolean {
  const kinds = (m: unknown): string[] => {
    if (!isObject(m)) return [];
    const blocks = [...(Array.isArray(m.any) ? m.any : []), ...(Array.isArray(m.all) ? m.all : []), m];
    return blocks.flatMap((b) =>
      isObject(b) && isObject(b.resources) && Array.isArray(b.resources.kinds)
        ? b.resources.kinds.map(String)
        : [],
    );
  };
  return kinds(rule.match).some((k) => k === 'Pod' || k.endsWith('/Pod'));
}

export function subjectOf(
  object: KubeObject,
  item: LoadedObject,
  options: KyvernoEvalOptions,
  kind?: string,
): MatchSubject {
  const namespace = object.metadata.namespace ?? item.admission?.namespace ?? '';
  const labels = namespace ? options.namespaceLabels?.(namespace) : undefined;
  return {
    apiVersion: kind ? 'v1' : object.apiVersion,
    kind: kind ?? object.kind,
    name: object.metadata.name ?? '',
    namespace,
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    operation: item.admission?.operation ?? 'CREATE',
    ...(item.admission?.userInfo ? { userInfo: item.admission.userInfo } : {}),
    ...(labels ? { namespaceLabels: labels } : {}),
  };
}

/** A namespaced Policy applies in its own namespace only. */
export function inPolicyNamespace(policy: KyvernoPolicy, object: KubeObject): boolean {
  return policy.namespace === undefined || (object.metadata.namespace ?? 'default') === policy.namespace;
}

/** How one rule applies to an object: what it judges (the object or its pod view), under which name. */
export interface RuleTarget {
  target: KubeObject;
  /** `autogen-<rule>` / `autogen-cronjob-<rule>` when the rule judges a pod controller's template. */
  appliedAs: string;
  values: Readonly<Record<string, unknown>> | undefined;
  /** The PolicyException that sets the rule aside for this object, if one does. */
  exception?: PolicyException;
}

/**
 * Whether a rule applies to an object (its match selects it, its exclude does not; through autogen on pod
 * controllers), and how; undefined when it does not apply.
 */
export function ruleTarget(
  policy: KyvernoPolicy,
  rule: KyvernoRule,
  item: LoadedObject,
  options: KyvernoEvalOptions,
  autogen: KubeObject | undefined,
): RuleTarget | undefined {
  const object = item.object;
  let target: KubeObject = object;
  let appliedAs = rule.name;
  let subject = subjectOf(object, item, options);
  if (autogen && ruleMatchesPods(rule)) {
    target = autogen;
    appliedAs = object.kind === 'CronJob' ? `autogen-cronjob-${rule.name}` : `autogen-${rule.name}`;
    subject = subjectOf(object, item, options, 'Pod');
  }
  if (!ruleMatches(rule.match, subject) || ruleExcludes(rule.exclude, subject)) return undefined;
  const values = options.values?.(rule.name);
  const policyRef = policy.namespace !== undefined ? `${policy.namespace}/${policy.name}` : policy.name;
  const exception = options.exceptions?.length
    ? exceptionFor(
        options.exceptions,
        policyRef,
        rule.name,
        appliedAs,
        subjectOf(object, item, options),
        () => withValues(baseContext(target, item), values),
      )
    : undefined;
  return { target, appliedAs, values, ...(exception ? { exception } : {}) };
}
