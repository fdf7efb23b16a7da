import { selects } from '../../hardening/kubernetes/controls/helpers.js';
import type { CelAdmissionInput } from './types.js';
import { labelsOf } from './values.js';
import type { MatchResources, ResourceRule } from './vap-schema.js';

const any = (list: readonly string[] | undefined, value: string) =>
  !list || list.length === 0 || list.includes('*') || list.includes(value);

/** Does a rule's `resources` entry cover `resource` (with its optional `/subresource`)? */
function resourceMatches(pattern: string, resource: string): boolean {
  const [res, sub] = resource.split('/', 2) as [string, string | undefined];
  if (pattern === '*/*') return true;
  if (pattern === '*') return sub === undefined;
  if (pattern.endsWith('/*')) return sub !== undefined && pattern.slice(0, -2) === res;
  if (pattern.startsWith('*/')) return sub === pattern.slice(2);
  return pattern === resource;
}

function ruleMatches(rule: ResourceRule, input: CelAdmissionInput): boolean {
  const r = input.resource;
  if (!any(rule.operations, input.operation)) return false;
  if (!any(rule.apiGroups, r.group) || !any(rule.apiVersions, r.version)) return false;
  if (!(rule.resources ?? []).some((p) => resourceMatches(p, r.resource))) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(input.name ?? '')) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && input.namespace) return false;
  if (scope === 'Namespaced' && !input.namespace) return false;
  return true;
}

function isNamespaceRequest(input: CelAdmissionInput): boolean {
  const r = input.resource;
  return r.group === '' && r.resource.split('/')[0] === 'namespaces';
}

/**
 * namespaceSelector: a Namespace request is matched on its own labels; another cluster-scoped request always
 * matches; a namespaced request is matched on the labels of `namespaceObject` (none when the caller gave none).
 */
function namespaceMatches(selector: MatchResources['namespaceSelector'], input: CelAdmissionInput): boolean {
  if (!selector) return true;
  if (isNamespaceRequest(input))
    return [input.object, input.oldObject].some((o) => o && selects(selector, labelsOf(o)));
  if (!input.namespace) return true;
  return selects(selector, labelsOf(input.namespaceObject));
}

/** objectSelector: the new or the old object's labels. */
function objectMatches(selector: MatchResources['objectSelector'], input: CelAdmissionInput): boolean {
  if (!selector) return true;
  return [input.object, input.oldObject].some((o) => o && selects(selector, labelsOf(o)));
}

/**
 * `matchConstraints` of a policy or `matchResources` of a binding. With `optionalRules` (a binding), absent
 * resourceRules leave the policy's own rules in charge.
 */
export function requestMatches(
  m: MatchResources | undefined,
  input: CelAdmissionInput,
  optionalRules = false,
): boolean {
  if (!m) return true;
  const rules = m.resourceRules ?? [];
  if (!(optionalRules && rules.length === 0) && !rules.some((r) => ruleMatches(r, input))) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, input))) return false;
  return namespaceMatches(m.namespaceSelector, input) && objectMatches(m.objectSelector, input);
}
