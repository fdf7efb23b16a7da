import type { KubeObject, LoadedObject } from '../hardening/kubernetes/index.js';
import { evaluateKyvernoPolicy, type RuleResult } from '../hardening/kubernetes/kyverno/engine.js';
import {
  isPolicyException,
  type PolicyException,
  parsePolicyException,
} from '../hardening/kubernetes/kyverno/exceptions.js';
import {
  isKyvernoPolicy,
  type KyvernoPolicy,
  parseKyvernoPolicy,
} from '../hardening/kubernetes/kyverno/policy.js';
import type { ParsedReview } from './review.js';
import type { AdmissionAction, CheckContext, CheckOutcome, ExtraChecks, Violation } from './types.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kyverno ClusterPolicy / Policy / PolicyException documents of a policy input. */
export function isKyvernoDocument(d: unknown): boolean {
  return isRecord(d) && (isKyvernoPolicy(d) || isPolicyException(d));
}

/** The PolicyExceptions of a policy input. */
export function kyvernoExceptionsOf(documents: readonly unknown[]): PolicyException[] {
  return documents
    .filter((d) => isRecord(d) && isPolicyException(d))
    .map((d) => {
      const doc = d as Record<string, unknown>;
      return parsePolicyException({
        ...doc,
        metadata: isRecord(doc.metadata) ? doc.metadata : {},
      } as KubeObject);
    });
}

/** Parse the Kyverno documents of a policy input (each rule's unsupported feature is named, never dropped). */
export function kyvernoPoliciesOf(documents: readonly unknown[], file?: string): KyvernoPolicy[] {
  return documents
    .filter((d) => isRecord(d) && isKyvernoPolicy(d))
    .map((d) => {
      const doc = d as Record<string, unknown>;
      const object = { ...doc, metadata: isRecord(doc.metadata) ? doc.metadata : {} } as KubeObject;
      return parseKyvernoPolicy(object, file);
    });
}

/**
 * `ClusterPolicy/name rule r: feature (code)` for each rule Bulkhead does not evaluate at admission (a mutate rule
 * it applies is not one of them).
 */
export function unsupportedRules(policies: readonly KyvernoPolicy[]): string[] {
  return policies.flatMap((p) =>
    p.rules.flatMap((r) =>
      r.unsupported && !r.mutate
        ? [`${p.kind}/${p.name} rule ${r.name}: ${r.unsupported.feature} (${r.unsupported.code})`]
        : [],
    ),
  );
}

function severityOf(policy: KyvernoPolicy): string {
  const s = policy.annotations['policies.kyverno.io/severity']?.toUpperCase();
  return s === 'CRITICAL' || s === 'HIGH' || s === 'MEDIUM' || s === 'LOW' ? s : 'UNKNOWN';
}

/** Enforce denies, Audit lets the request in and records it. */
function actionOf(r: RuleResult): AdmissionAction {
  return r.failureAction === 'Enforce' ? 'deny' : 'audit';
}

/** The object of a request as the Kyverno engine reads it, with the request's operation, user and old object. */
export function kyvernoItemOf(review: ParsedReview): LoadedObject | undefined {
  const request = review.request;
  const object = review.operation === 'DELETE' ? request.oldObject : request.object;
  if (!isRecord(object)) return undefined;
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  return {
    object: {
      ...object,
      apiVersion: String(object.apiVersion ?? ''),
      kind: String(object.kind ?? ''),
      metadata: {
        ...metadata,
        ...(review.namespace && !metadata.namespace ? { namespace: review.namespace } : {}),
      },
    } as KubeObject,
    source: { file: '-' },
    admission: {
      apiVersion: review.apiVersion,
      uid: review.uid,
      operation: review.operation,
      ...(isRecord(request.oldObject) ? { oldObject: request.oldObject as KubeObject } : {}),
      userInfo: review.userInfo,
      ...(review.namespace ? { namespace: review.namespace } : {}),
    },
  };
}

/** The labels of a request's Namespace object, when the server has it. */
export function namespaceLabelsOf(ns: unknown): Record<string, string> | undefined {
  return isRecord(ns) && isRecord(ns.metadata) && isRecord(ns.metadata.labels)
    ? (ns.metadata.labels as Record<string, string>)
    : undefined;
}

/**
 * Kyverno validate rules as the decision core's extra checks: a failed (or erroring) rule is a violation named
 * `<policy>/<rule>`, denied under Enforce and audited under Audit.
 */
export function kyvernoChecks(
  policies: readonly KyvernoPolicy[],
  exceptions: readonly PolicyException[] = [],
): ExtraChecks {
  return (review: ParsedReview, context?: CheckContext): CheckOutcome => {
    const item = kyvernoItemOf(review);
    if (!item) return { violations: [] };
    const nsLabels = namespaceLabelsOf(context?.namespaceObject);
    const violations: Violation[] = [];
    for (const policy of policies)
      for (const r of evaluateKyvernoPolicy(policy, item, {
        exceptions,
        ...(nsLabels ? { namespaceLabels: () => nsLabels } : {}),
      })) {
        if (r.status !== 'fail' && r.status !== 'error') continue;
        violations.push({
          control: `${r.policy}/${r.appliedAs}`,
          severity: severityOf(policy),
          message: r.status === 'error' ? `rule error: ${r.message}` : r.message,
          action: actionOf(r),
          source: `${policy.kind}/${policy.name}`,
        });
      }
    return { violations };
  };
}

/** Run two sets of extra checks on each request and merge what they say. */
export function combineChecks(
  a: ExtraChecks | undefined,
  b: ExtraChecks | undefined,
): ExtraChecks | undefined {
  if (!a || !b) return a ?? b;
  return (review, context) => {
    const x = a(review, context);
    const y = b(review, context);
    const annotations = { ...x.auditAnnotations, ...y.auditAnnotations };
    return {
      violations: [...x.violations, ...y.violations],
      ...(Object.keys(annotations).length ? { auditAnnotations: annotations } : {}),
    };
  };
}
