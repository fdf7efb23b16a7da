/** How a failed validation is enforced (ValidatingAdmissionPolicyBinding `validationActions`). */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** One admission request as the CEL policies see it (the fields of an AdmissionReview `request`). */
export interface CelAdmissionInput {
  /** @example 'CREATE' */
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** The new object; null for DELETE. */
  object: unknown;
  /** The existing object; null for CREATE. */
  oldObject: unknown;
  /** The Namespace object of a namespaced request, when the caller has it (namespaceSelector, `namespaceObject`). */
  namespaceObject?: unknown;
  userInfo: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** @example {group: 'apps', version: 'v1', kind: 'Deployment'} */
  kind: { group: string; version: string; kind: string };
  /** `resource` may carry a subresource: `pods/status`. @example {group: 'apps', version: 'v1', resource: 'deployments'} */
  resource: { group: string; version: string; resource: string };
  namespace?: string;
  name?: string;
  dryRun: boolean;
}

/**
 * One failed validation (or, with `actions: []`, only the audit annotations a matched policy produced: they are
 * computed on every matched request, failing or not).
 */
export interface CelViolation {
  /** ValidatingAdmissionPolicy name, or `<ConstraintKind>/<constraint name>` for Gatekeeper CEL templates. */
  policy: string;
  /** ValidatingAdmissionPolicyBinding name (VAP only). */
  binding?: string;
  actions: ValidationAction[];
  message: string;
  /** Kubernetes status reason of a failed VAP validation: `Invalid` unless the validation names another. */
  reason?: string;
  /** `<policy>/<key>` → value, from the policy's auditAnnotations. */
  auditAnnotations?: Record<string, string>;
}
