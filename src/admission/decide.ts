import picomatch from 'picomatch';
import { GATEKEEPER_KINDS } from '../hardening/kubernetes/gatekeeper/mapping.js';
import {
  CONTROLS,
  constraintFindings,
  evaluateDetailed,
  Inventory,
  type KubeObject,
  type LoadedObject,
  loadParsed,
  matchExceptions,
} from '../hardening/kubernetes/index.js';
import type { AdmissionAction, AdmissionPolicy, ExtraChecks, Violation } from './policy.js';
import type { ParsedReview, ReviewVersion } from './review.js';
import { type VulnerabilityIndex, vulnerabilityViolations } from './vulnerabilities.js';

export type { Violation } from './policy.js';

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  /** A mutating webhook's change to the object: base64 of an RFC 6902 JSON Patch. */
  patchType?: 'JSONPatch';
  patch?: string;
}

export interface AdmissionResponseReview {
  apiVersion: ReviewVersion;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** Which request an answer is about, as the validating and the mutating webhook both log and record it. */
export interface RequestIdentity {
  operation: string;
  /** The request's kind (`group/version/Kind`, core group without prefix). */
  kind?: string;
  namespace?: string;
  name?: string;
  username?: string;
  /** dryRun requests have no side effects: callers do not record them. */
  dryRun: boolean;
}

export function requestIdentity(review: ParsedReview): RequestIdentity {
  return {
    operation: review.operation,
    dryRun: review.dryRun,
    ...(review.kind ? { kind: review.kind } : {}),
    ...(review.namespace ? { namespace: review.namespace } : {}),
    ...(review.name ? { name: review.name } : {}),
    ...(review.userInfo.username ? { username: review.userInfo.username } : {}),
  };
}

/** The decision on one request: the response to send and what led to it (for logs and the store). */
export interface Decision extends RequestIdentity {
  review: AdmissionResponseReview;
  allowed: boolean;
  violations: Violation[];
  /** Why nothing was evaluated, when so: an exempt namespace, user or group. */
  skipped?: string;
}

export interface DecideOptions {
  now?: Date;
  /** More checks whose violations are merged (as the policy's own `extraChecks`, which also run). */
  extraChecks?: ExtraChecks;
  /** Stored image scans for the vulnerability gate; without it, every image counts as unknown. */
  vulnerabilities?: VulnerabilityIndex;
  /**
   * The Namespace object of a namespaced request (from the server's Namespace cache): constraints'
   * namespaceSelector, the posture engine's context and CEL `namespaceObject` read its labels. Without it, they
   * see no Namespace (a Namespace request always uses its own object).
   */
  namespaceObject?: KubeObject;
}

/** Kubernetes truncates longer warnings; one short entry per violation. */
const WARNING_MAX = 120;
/** Audit annotation keys are `<webhook prefix>/<key>`; a key is a DNS-label-like name of at most 63 chars. */
const ANNOTATION_KEY_MAX = 63;

const CONSTRAINT_ACTION = { deny: 'deny', warn: 'warn', dryrun: 'audit' } as const;

/** The mode is a ceiling: audit turns every action into audit, warn turns deny into warn. */
export function capAction(action: AdmissionAction, mode: AdmissionPolicy['mode']): AdmissionAction {
  if (mode === 'audit') return 'audit';
  if (mode === 'warn' && action === 'deny') return 'warn';
  return action;
}

/** Why a request is not evaluated (an exempt namespace, user or group), or undefined. */
export function exemption(review: ParsedReview, policy: AdmissionPolicy): string | undefined {
  // A Namespace object is exempt by its own name, as Gatekeeper's excludedNamespaces treats it.
  const ns = review.namespace ?? (review.kind === 'v1/Namespace' ? review.name : undefined);
  if (ns && policy.exemptNamespaces.length && picomatch.isMatch(ns, policy.exemptNamespaces))
    return `namespace ${ns} is exempt`;
  const user = review.userInfo.username;
  if (user && policy.exemptUsers.length && picomatch.isMatch(user, policy.exemptUsers))
    return `user ${user} is exempt`;
  const group = policy.exemptGroups.length
    ? review.userInfo.groups?.find((g) => picomatch.isMatch(g, policy.exemptGroups))
    : undefined;
  return group ? `group ${group} is exempt` : undefined;
}

/** The catalogue rows and the constraints on the admitted object (CREATE and UPDATE only). */
function nativeViolations(
  item: LoadedObject,
  policy: AdmissionPolicy,
  now: Date,
  namespace: LoadedObject | undefined,
): Violation[] {
  const out: Violation[] = [];
  const context = namespace ? [namespace] : [];
  for (const group of policy.groups) {
    const { results } = evaluateDetailed([item], {
      context,
      standard: group.standard,
      controls: group.controls,
      parameters: policy.parameters,
      exceptions: policy.exceptions,
      pssVersion: policy.pssVersion,
      ...(policy.customControls ? { customControls: policy.customControls } : {}),
      now,
    });
    for (const r of results) {
      if (r.status !== 'fail' || r.suppressedBy || out.some((v) => v.control === r.control)) continue;
      const action = policy.actions[r.control] ?? policy.defaultAction;
      out.push({ control: r.control, severity: r.severity, message: r.message, action });
    }
  }
  if (policy.constraints.length === 0) return out;
  const inventory = new Inventory([item, ...context]);
  for (const constraint of policy.constraints) {
    const findings = constraintFindings(constraint, item, inventory, {
      params: policy.parameters,
      pssVersion: policy.pssVersion,
    });
    if (!findings?.length) continue;
    const control = CONTROLS.find((c) => c.id === GATEKEEPER_KINDS[constraint.kind]!.controls[0])!;
    if (matchExceptions(policy.exceptions, control.id, item.object, now).active) continue;
    out.push({
      control: control.id,
      severity: control.severity,
      message: findings.map((f) => f.message).join('; '),
      action: CONSTRAINT_ACTION[constraint.enforcementAction],
      source: `${constraint.kind}/${constraint.name}`,
    });
  }
  return out;
}

/**
 * Decide one AdmissionReview. CREATE and UPDATE run the policy's controls and constraints on the request's
 * object (oldObject and userInfo are available to rules through the loaded object), and the vulnerability gate
 * on its images; the policy's and the caller's extra checks run on every operation. Failing results that no
 * exception suppresses become violations, each acted on (deny, warn, audit) under the mode's ceiling.
 * Pure: no I/O; the caller records the decision (unless dryRun).
 */
export function decide(review: ParsedReview, policy: AdmissionPolicy, options: DecideOptions = {}): Decision {
  const now = options.now ?? new Date();
  const base = requestIdentity(review);
  const exempt = exemption(review, policy);
  const violations: Violation[] = [];
  const annotations: Record<string, string> = {};
  const ownNamespace = review.kind === 'v1/Namespace' ? undefined : options.namespaceObject;
  const extra = (checks: ExtraChecks) => {
    const outcome = checks(review, ownNamespace ? { namespaceObject: ownNamespace } : {});
    violations.push(...outcome.violations);
    Object.assign(annotations, outcome.auditAnnotations);
  };
  if (!exempt) {
    if (review.operation === 'CREATE' || review.operation === 'UPDATE') {
      // A fresh copy of the body (the loader normalises in place; hooks see the request as sent).
      const item = loadParsed(JSON.parse(review.text), 'request').objects[0];
      if (item) {
        const namespace = ownNamespace && {
          object: ownNamespace,
          source: { file: 'cluster:/api/v1/namespaces' },
        };
        violations.push(...nativeViolations(item, policy, now, namespace));
        if (policy.vulnerabilities)
          violations.push(
            ...vulnerabilityViolations(item, policy.vulnerabilities, options.vulnerabilities, policy, now),
          );
      }
    }
    if (policy.extraChecks) extra(policy.extraChecks);
    if (options.extraChecks) extra(options.extraChecks);
  }
  for (const v of violations) v.action = capAction(v.action, policy.mode);

  const line = (v: Violation) => `[${v.control}] ${v.message}`;
  const denied = violations.filter((v) => v.action === 'deny');
  const warned = violations.filter((v) => v.action === 'warn');
  const audited = violations.filter((v) => v.action === 'audit');
  const response: AdmissionResponse = { uid: review.uid, allowed: denied.length === 0 };
  if (denied.length)
    response.status = { code: 403, reason: 'Forbidden', message: denied.map(line).join('; ') };
  if (warned.length)
    response.warnings = warned.map((v) => {
      const text = line(v);
      return text.length > WARNING_MAX ? `${text.slice(0, WARNING_MAX - 1)}…` : text;
    });
  if (audited.length) {
    for (const v of audited) {
      const key = v.control
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, '-')
        .slice(0, ANNOTATION_KEY_MAX);
      annotations[key] = annotations[key] ? `${annotations[key]}; ${v.message}` : v.message;
    }
  }
  if (Object.keys(annotations).length) response.auditAnnotations = annotations;
  return {
    ...base,
    review: { apiVersion: review.apiVersion, kind: 'AdmissionReview', response },
    allowed: response.allowed,
    violations,
    ...(exempt ? { skipped: exempt } : {}),
  };
}
