import type { z } from 'zod';
import { CelPolicyError } from './errors.js';
import { requestMatches } from './match-resources.js';
import { resolveParams } from './params.js';
import { compileProgram, type Program, runProgram } from './program.js';
import type { CelAdmissionInput, CelViolation, ValidationAction } from './types.js';
import { toCel } from './values.js';
import { type BindingSpec, bindingSpec, type VapSpec, vapSpec } from './vap-schema.js';

export const VAP_API_VERSIONS = [
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1beta1',
  'admissionregistration.k8s.io/v1alpha1',
];

interface CompiledPolicy {
  name: string;
  spec: VapSpec;
  program: Program;
}

interface CompiledBinding {
  name: string;
  spec: BindingSpec;
}

/** ValidatingAdmissionPolicies, their bindings and the param objects of the input, compiled. */
export interface VapSet {
  policies: ReadonlyMap<string, CompiledPolicy>;
  bindings: readonly CompiledBinding[];
  paramObjects: readonly { raw: unknown; cel: unknown }[];
}

interface Doc {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: unknown;
}

function parseSpec<T>(label: string, schema: z.ZodType<T>, spec: unknown): T {
  const r = schema.safeParse(spec);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new CelPolicyError(label, ['spec', ...issue.path.map(String)].join('.'), undefined, issue.message);
}

export function isVapDoc(d: Doc, kind: string): boolean {
  return typeof d.apiVersion === 'string' && VAP_API_VERSIONS.includes(d.apiVersion) && d.kind === kind;
}

/** Compile every ValidatingAdmissionPolicy and binding among `docs`; other documents may be param objects. */
export function compileVaps(docs: readonly Doc[]): VapSet {
  const policies = new Map<string, CompiledPolicy>();
  for (const d of docs.filter((d) => isVapDoc(d, 'ValidatingAdmissionPolicy'))) {
    const name = String(d.metadata?.name ?? '');
    const label = `ValidatingAdmissionPolicy/${name}`;
    if (!name) throw new CelPolicyError(label, 'metadata.name', undefined, 'a policy needs a name');
    if (policies.has(name)) throw new CelPolicyError(label, 'metadata.name', undefined, 'defined twice');
    const spec = parseSpec(label, vapSpec, d.spec);
    policies.set(name, { name, spec, program: compileProgram(name, spec) });
  }
  const bindings: CompiledBinding[] = [];
  for (const d of docs.filter((d) => isVapDoc(d, 'ValidatingAdmissionPolicyBinding'))) {
    const name = String(d.metadata?.name ?? '');
    const label = `ValidatingAdmissionPolicyBinding/${name}`;
    const spec = parseSpec(label, bindingSpec, d.spec);
    if (!policies.has(spec.policyName))
      throw new CelPolicyError(
        label,
        'spec.policyName',
        undefined,
        `no ValidatingAdmissionPolicy "${spec.policyName}" in the input`,
      );
    const ref = spec.paramRef;
    if (ref && (ref.name === undefined) === (ref.selector === undefined))
      throw new CelPolicyError(
        label,
        'spec.paramRef',
        undefined,
        'exactly one of name and selector must be set',
      );
    bindings.push({ name, spec });
  }
  const kinds = [...policies.values()].flatMap((p) => (p.spec.paramKind ? [p.spec.paramKind] : []));
  const paramObjects = docs
    .filter((d) => kinds.some((k) => d.apiVersion === k.apiVersion && d.kind === k.kind))
    .map((raw) => ({ raw, cel: toCel(raw) }));
  return { policies, bindings, paramObjects };
}

/** Evaluate every binding whose policy and own matchResources select the request. */
export function evaluateVaps(
  set: VapSet,
  input: CelAdmissionInput,
  base: Record<string, unknown>,
): CelViolation[] {
  const out: CelViolation[] = [];
  for (const binding of set.bindings) {
    const policy = set.policies.get(binding.spec.policyName)!;
    if (!requestMatches(policy.spec.matchConstraints, input)) continue;
    if (!requestMatches(binding.spec.matchResources, input, true)) continue;
    const actions = [...binding.spec.validationActions] as ValidationAction[];
    const own = { policy: policy.name, binding: binding.name, actions };
    const configError = (message: string) => {
      if (policy.program.failurePolicy === 'Fail') out.push({ ...own, message, reason: 'InternalError' });
    };
    let paramSets: unknown[] = [null];
    if (policy.spec.paramKind) {
      const ref = binding.spec.paramRef;
      if (!ref) {
        configError(`policy ${policy.name} has a paramKind but binding ${binding.name} has no paramRef`);
        continue;
      }
      const found = resolveParams(policy.spec.paramKind, ref, set.paramObjects, input);
      if ('error' in found) {
        configError(found.error);
        continue;
      }
      paramSets = found.params;
      if (paramSets.length === 0) {
        if (ref.parameterNotFoundAction === 'Deny')
          configError('no params found for policy binding with `Deny` parameterNotFoundAction');
        continue;
      }
    }
    const annotations: Record<string, string> = {};
    const start = out.length;
    for (const params of paramSets) {
      const outcome = runProgram(policy.program, { ...base, params });
      if (!outcome.matched) continue;
      Object.assign(annotations, outcome.auditAnnotations);
      for (const f of outcome.failures)
        out.push({
          ...own,
          actions: [...actions],
          message: f.message,
          ...(f.reason ? { reason: f.reason } : {}),
        });
    }
    if (Object.keys(annotations).length === 0) continue;
    if (out.length > start) out[start]!.auditAnnotations = annotations;
    else out.push({ ...own, actions: [], message: '', auditAnnotations: annotations });
  }
  return out;
}
