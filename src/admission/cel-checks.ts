import {
  type CelAdmissionInput,
  type CelViolation,
  compileCelPolicies,
  evaluateCelPolicies,
} from './cel/index.js';
import type { ParsedReview } from './review.js';
import type { AdmissionAction, CheckContext, CheckOutcome, ExtraChecks, Violation } from './types.js';

/** CEL policies carry no severity of their own. */
const CEL_SEVERITY = 'UNKNOWN';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The request fields CEL policies read, from the AdmissionReview as sent, and the Namespace object of a
 * namespaced request when the server has it (`namespaceObject`, namespaceSelector).
 */
export function celInput(review: ParsedReview, context: CheckContext = {}): CelAdmissionInput {
  const request = review.request;
  const kind = isRecord(request.kind) ? request.kind : {};
  const resource = isRecord(request.resource) ? request.resource : {};
  const user = isRecord(request.userInfo) ? request.userInfo : {};
  return {
    operation: review.operation,
    object: request.object ?? null,
    oldObject: request.oldObject ?? null,
    userInfo: {
      ...(review.userInfo.username ? { username: review.userInfo.username } : {}),
      ...(typeof user.uid === 'string' ? { uid: user.uid } : {}),
      ...(review.userInfo.groups ? { groups: review.userInfo.groups } : {}),
      ...(isRecord(user.extra) ? { extra: user.extra as Record<string, string[]> } : {}),
    },
    kind: { group: text(kind.group), version: text(kind.version), kind: text(kind.kind) },
    resource: {
      group: text(resource.group),
      version: text(resource.version),
      resource: text(resource.resource) + (request.subResource ? `/${text(request.subResource)}` : ''),
    },
    ...(review.namespace ? { namespace: review.namespace } : {}),
    ...(review.name ? { name: review.name } : {}),
    ...(review.namespace && context.namespaceObject !== undefined
      ? { namespaceObject: context.namespaceObject }
      : {}),
    dryRun: review.dryRun,
  };
}

/**
 * One failed CEL validation as a violation: Deny → deny, Warn → warn, Audit only → audit; Audit beside Deny or
 * Warn also records the failure in the audit annotations, as the API server does.
 */
function toViolation(v: CelViolation, annotations: Record<string, string>): Violation | undefined {
  const action: AdmissionAction | undefined = v.actions.includes('Deny')
    ? 'deny'
    : v.actions.includes('Warn')
      ? 'warn'
      : v.actions.includes('Audit')
        ? 'audit'
        : undefined;
  if (!action) return undefined;
  if (action !== 'audit' && v.actions.includes('Audit'))
    annotations[`${v.policy}/validation_failure`.toLowerCase()] = v.message;
  return {
    control: v.policy,
    severity: CEL_SEVERITY,
    message: v.message,
    action,
    source: v.binding ? `ValidatingAdmissionPolicyBinding/${v.binding}` : v.policy,
  };
}

/**
 * Compile the CEL documents of a policy input once (ValidatingAdmissionPolicies with their bindings and params,
 * Gatekeeper templates' K8sNativeValidation bodies with their constraints) into the decision core's extra checks.
 * @throws CelPolicyError (exit 2) naming the policy and the expression that does not compile
 */
export function celChecks(documents: unknown[]): { checks: ExtraChecks; constraintKinds: readonly string[] } {
  const set = compileCelPolicies(documents);
  const checks = (review: ParsedReview, context?: CheckContext): CheckOutcome => {
    const annotations: Record<string, string> = {};
    const violations: Violation[] = [];
    for (const v of evaluateCelPolicies(set, celInput(review, context))) {
      Object.assign(annotations, v.auditAnnotations);
      const violation = toViolation(v, annotations);
      if (violation) violations.push(violation);
    }
    return { violations, ...(Object.keys(annotations).length ? { auditAnnotations: annotations } : {}) };
  };
  return { checks, constraintKinds: set.constraintKinds };
}
