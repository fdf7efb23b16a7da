import { baseActivation } from './activation.js';
import { compileGatekeeper, evaluateGatekeeper, type GatekeeperCelSet } from './gatekeeper.js';
import type { CelAdmissionInput, CelViolation } from './types.js';
import { compileVaps, evaluateVaps, type VapSet } from './vap.js';

export { CelPolicyError } from './errors.js';
export type { CelAdmissionInput, CelViolation, ValidationAction } from './types.js';

/** Compiled CEL policies: ValidatingAdmissionPolicies with their bindings and params, and Gatekeeper CEL constraints. */
export interface CelPolicySet {
  readonly vap: VapSet;
  readonly gatekeeper: GatekeeperCelSet;
  /** Names of the ValidatingAdmissionPolicies loaded. */
  readonly policies: readonly string[];
  /** Gatekeeper constraint kinds evaluated through their templates' CEL (callers skip the native path for them). */
  readonly constraintKinds: readonly string[];
}

/** Documents of a policy input, with `kind: *List` documents opened. */
function flatten(docs: readonly unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const d of docs) {
    if (!d || typeof d !== 'object' || Array.isArray(d)) continue;
    const doc = d as Record<string, unknown>;
    if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items))
      out.push(...flatten(doc.items));
    else out.push(doc);
  }
  return out;
}

/**
 * Pick and compile the CEL policies among the parsed YAML documents of a policy input: ValidatingAdmissionPolicy,
 * ValidatingAdmissionPolicyBinding, their param objects (documents of a policy's `paramKind`), ConstraintTemplates
 * with a `K8sNativeValidation` body and their constraints. Every expression is compiled here, once.
 * @throws CelPolicyError naming the policy, the expression and the reason, for the first that does not compile
 */
export function compileCelPolicies(docs: unknown[]): CelPolicySet {
  const all = flatten(docs);
  const vap = compileVaps(all);
  const gatekeeper = compileGatekeeper(all);
  return { vap, gatekeeper, policies: [...vap.policies.keys()], constraintKinds: gatekeeper.kinds };
}

/** Evaluate every matching policy against one request. Pure: no I/O, no state kept between calls. */
export function evaluateCelPolicies(set: CelPolicySet, input: CelAdmissionInput): CelViolation[] {
  if (set.vap.bindings.length === 0 && set.gatekeeper.constraints.length === 0) return [];
  const base = baseActivation(input);
  return [...evaluateVaps(set.vap, input, base), ...evaluateGatekeeper(set.gatekeeper, input, base)];
}
