import { isRecord } from '../objects/load.js';
import type { KubeObject } from '../objects/types.js';
import { finding } from './helpers.js';
import type { ControlFailure } from './types.js';

/**
 * Agent-sandbox kinds (extensions.agents.x-k8s.io) whose controller writes the NetworkPolicy of their pods; a bare
 * Sandbox has none of its own and is judged like any pod owner.
 */
export const POLICY_MANAGING_KINDS: ReadonlySet<string> = new Set(['SandboxTemplate']);

const UNIVERSAL_CIDRS = new Set(['0.0.0.0/0', '::/0']);

const nonEmptySelector = (s: unknown) =>
  isRecord(s) &&
  ((isRecord(s.matchLabels) && Object.keys(s.matchLabels).length > 0) ||
    (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0));

/** Why an egress peer lets the pods reach anything (undefined = scoped). `except` never scopes a universal block. */
function unscopedPeer(peer: unknown): string | undefined {
  if (!isRecord(peer) || Object.keys(peer).length === 0) return 'an empty peer allows every destination';
  if ('ipBlock' in peer) {
    const cidr = isRecord(peer.ipBlock) ? peer.ipBlock.cidr : undefined;
    if (typeof cidr !== 'string' || cidr === '') return 'an ipBlock without cidr';
    if (UNIVERSAL_CIDRS.has(cidr)) return `ipBlock ${cidr} allows every address`;
  }
  if ('namespaceSelector' in peer && !nonEmptySelector(peer.namespaceSelector))
    return 'an empty namespaceSelector selects every namespace';
  if ('podSelector' in peer && !nonEmptySelector(peer.podSelector) && !('namespaceSelector' in peer))
    return 'an empty podSelector selects every pod of the namespace';
  return undefined;
}

/**
 * K8S-NET-01 for agent sandboxes: the template must have its controller manage the pods' NetworkPolicy
 * (`networkPolicyManagement: Managed`, the default) with an explicit `networkPolicy` (no egress = deny all) whose
 * egress rules each name scoped destinations. Relying on the controller's unstated default, leaving networking
 * unmanaged, or allowing egress to everything fails.
 */
export function sandboxNetworkFindings(object: KubeObject): ControlFailure[] {
  const spec = isRecord(object.spec) ? object.spec : {};
  const management = spec.networkPolicyManagement ?? 'Managed';
  if (management !== 'Managed')
    return [
      finding(
        `networkPolicyManagement ${String(management)}: the sandbox's traffic is not governed by its template`,
        'spec.networkPolicyManagement',
      ),
    ];
  const policy = spec.networkPolicy;
  if (policy === undefined)
    return [finding('no networkPolicy: the sandbox relies on the controller default', 'spec.networkPolicy')];
  if (!isRecord(policy)) return [finding('networkPolicy is not an object', 'spec.networkPolicy')];
  if (policy.egress === undefined) return [];
  if (!Array.isArray(policy.egress))
    return [finding('networkPolicy.egress is not a list', 'spec.networkPolicy.egress')];
  const out: ControlFailure[] = [];
  policy.egress.forEach((rule, i) => {
    const path = `spec.networkPolicy.egress[${i}].to`;
    const to = isRecord(rule) ? rule.to : undefined;
    if (!Array.isArray(to) || to.length === 0) {
      out.push(finding(`egress rule ${i} names no destination: it allows every destination`, path));
      return;
    }
    to.forEach((peer, j) => {
      const why = unscopedPeer(peer);
      if (why) out.push(finding(`egress rule ${i}: ${why}`, `${path}[${j}]`));
    });
  });
  return out;
}
