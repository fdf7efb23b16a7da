import jsonPatch, { type Operation } from 'fast-json-patch';
import type { KubeObject } from '../hardening/kubernetes/index.js';
import { mutateKyvernoPolicy } from '../hardening/kubernetes/kyverno/mutate/engine.js';
import { POD_CONTROLLERS } from '../hardening/kubernetes/kyverno/policy.js';
import { templatePath } from '../hardening/kubernetes/kyverno/targets.js';
import {
  type AdmissionResponse,
  type AdmissionResponseReview,
  exemption,
  type RequestIdentity,
  requestIdentity,
} from './decide.js';
import { ADMISSION_DEFAULTS } from './defaults/index.js';
import { kyvernoItemOf, namespaceLabelsOf } from './kyverno-checks.js';
import type { ParsedReview } from './review.js';
import type { AdmissionPolicy } from './types.js';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mutating webhook's answer to one request and what led to it (for the log line). */
export interface Mutation extends RequestIdentity {
  review: AdmissionResponseReview;
  /** What changed the object: `defaults/<key>` and `<policy>/<rule as applied>`, in the order applied. */
  applied: string[];
  /** The RFC 6902 operations from the object as sent to the object as mutated (empty: no change). */
  patch: Operation[];
  /** Mutate rules that failed on this object (`<policy>/<rule>: reason`); their change is left out. */
  errors: string[];
  /** Why nothing was evaluated, when so: an exempt namespace, user or group. */
  skipped?: string;
}

export interface MutateOptions {
  /** The Namespace object of a namespaced request (Kyverno namespaceSelector). */
  namespaceObject?: KubeObject;
}

/** Does the policy change objects (Bulkhead defaults, or Kyverno mutate rules it applies)? */
export function policyMutates(policy: AdmissionPolicy): boolean {
  return (
    Object.keys(policy.defaults ?? {}).length > 0 ||
    (policy.kyvernoPolicies ?? []).some((p) => p.rules.some((r) => r.mutate))
  );
}

/** The Pod view the pod-level defaults fill: the Pod itself, or a controller's template (created if absent). */
function podTarget(object: Rec, operation: string): Rec | undefined {
  // a running Pod's spec cannot change: its defaults are filled when it is created
  if (object.kind === 'Pod') return operation === 'CREATE' ? object : undefined;
  if (!(POD_CONTROLLERS as readonly unknown[]).includes(object.kind)) return undefined;
  let at: unknown = object;
  for (const k of templatePath(String(object.kind))) at = isRecord(at) ? at[k] : undefined;
  return isRecord(at) ? at : undefined;
}

/** Fill the policy's Bulkhead defaults into the object (in place); the keys of those that changed something. */
function applyDefaults(object: Rec, operation: string, defaults: Record<string, unknown>): string[] {
  const applied: string[] = [];
  const pod = podTarget(object, operation);
  for (const d of ADMISSION_DEFAULTS) {
    if (!Object.hasOwn(defaults, d.id)) continue;
    const target = d.scope === 'pod' ? pod : object;
    if (!target) continue;
    const before = JSON.stringify(target);
    d.apply(target, defaults[d.id]);
    if (JSON.stringify(target) !== before) applied.push(`defaults/${d.id}`);
  }
  return applied;
}

/**
 * Mutate one CREATE or UPDATE request as the policy says: Kyverno mutate rules first (in policy order, each on the
 * result of the previous), then the Bulkhead defaults fill what is still absent. The answer allows the request and
 * carries the change as a base64 JSONPatch (`patchType: JSONPatch`); under mode `audit` it carries no patch, only
 * an audit annotation naming what would have changed. Exempt requests are answered without evaluation. Pure.
 */
export function mutate(review: ParsedReview, policy: AdmissionPolicy, options: MutateOptions = {}): Mutation {
  const base = requestIdentity(review);
  const answer = (
    response: Omit<AdmissionResponse, 'uid' | 'allowed'>,
    rest: Partial<Mutation> = {},
  ): Mutation => ({
    ...base,
    applied: [],
    patch: [],
    errors: [],
    ...rest,
    review: {
      apiVersion: review.apiVersion,
      kind: 'AdmissionReview',
      response: { uid: review.uid, allowed: true, ...response },
    },
  });
  const skipped = exemption(review, policy);
  if (skipped) return answer({}, { skipped });
  const original = review.request.object;
  if ((review.operation !== 'CREATE' && review.operation !== 'UPDATE') || !isRecord(original))
    return answer({});

  let object = structuredClone(original) as KubeObject;
  const applied: string[] = [];
  const errors: string[] = [];
  const item = kyvernoItemOf(review);
  const nsLabels = namespaceLabelsOf(options.namespaceObject);
  for (const policyDoc of policy.kyvernoPolicies ?? []) {
    if (!item || !policyDoc.rules.some((r) => r.mutate)) continue;
    const out = mutateKyvernoPolicy(
      policyDoc,
      { ...item, object },
      {
        exceptions: policy.kyvernoExceptions ?? [],
        ...(nsLabels ? { namespaceLabels: () => nsLabels } : {}),
      },
    );
    for (const r of out.results) {
      if (r.status === 'pass') applied.push(`${r.policy}/${r.appliedAs}`);
      if (r.status === 'error') errors.push(`${r.policy}/${r.appliedAs}: ${r.message}`);
    }
    if (out.results.some((r) => r.status === 'pass')) object = out.object;
  }
  if (policy.defaults) applied.push(...applyDefaults(object, review.operation, policy.defaults));

  const patch = jsonPatch.compare(original, object);
  const warnings = errors.map((e) => `[mutation failed] ${e}`.slice(0, 120));
  const rest = { applied, errors, patch };
  if (policy.mode === 'audit')
    return answer(
      {
        ...(applied.length ? { auditAnnotations: { 'would-mutate': applied.join(', ') } } : {}),
        ...(warnings.length ? { warnings } : {}),
      },
      { ...rest, patch: [] },
    );
  return answer(
    {
      ...(patch.length
        ? { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') }
        : {}),
      ...(warnings.length ? { warnings } : {}),
    },
    rest,
  );
}
