import type { KubeObject } from '../objects/types.js';
import { type Conditions, evaluateConditions } from './conditions.js';
import { type MatchSubject, ruleMatches } from './match.js';
import { isObject } from './values.js';
import { wildcardMatch } from './wildcard.js';

/** A Kyverno PolicyException (kyverno.io/v2…): rules it names do not apply to the resources it matches. */
export interface PolicyException {
  name: string;
  namespace?: string;
  exceptions: { policyName: string; ruleNames: string[] }[];
  match: unknown;
  conditions: unknown;
}

export function isPolicyException(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  return (
    typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kyverno.io/') && o.kind === 'PolicyException'
  );
}

export function parsePolicyException(object: KubeObject): PolicyException {
  const spec = isObject(object.spec) ? object.spec : {};
  return {
    name: object.metadata.name ?? '',
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    exceptions: (Array.isArray(spec.exceptions) ? spec.exceptions.filter(isObject) : []).map((e) => ({
      policyName: String(e.policyName ?? ''),
      ruleNames: Array.isArray(e.ruleNames) ? e.ruleNames.map(String) : [],
    })),
    match: spec.match,
    conditions: spec.conditions,
  };
}

/**
 * The exception that sets a rule aside for a subject, if any: it names the policy (a namespaced Policy as
 * `namespace/name`) and the rule (or its autogen name), its match selects the subject and its conditions hold.
 */
export function exceptionFor(
  exceptions: readonly PolicyException[],
  policy: string,
  rule: string,
  appliedAs: string,
  subject: MatchSubject,
  context: () => unknown,
): PolicyException | undefined {
  return exceptions.find(
    (x) =>
      x.exceptions.some(
        (e) =>
          wildcardMatch(e.policyName, policy) &&
          e.ruleNames.some((r) => wildcardMatch(r, rule) || wildcardMatch(r, appliedAs)),
      ) &&
      ruleMatches(x.match, subject) &&
      evaluateConditions(x.conditions as Conditions | undefined, context()),
  );
}
