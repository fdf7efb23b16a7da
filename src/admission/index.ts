/** Admission control on top of the Kubernetes posture engine: decision core, offline review and the webhook. */

export { type AdmissionApp, type AdmissionAppOptions, buildAdmissionApp } from './app.js';
export {
  type AdmissionBootHooks,
  type AdmissionBootOptions,
  type AdmissionService,
  bootAdmission,
} from './boot.js';
export {
  type AdmissionResponse,
  type AdmissionResponseReview,
  capAction,
  type DecideOptions,
  type Decision,
  decide,
} from './decide.js';
export {
  DEFAULT_NAMESPACE_REFRESH_SECONDS,
  NamespaceCache,
  type NamespaceSource,
  policyNeedsNamespaces,
} from './namespaces.js';
export {
  ACTIONS,
  type AdmissionAction,
  type AdmissionMode,
  type AdmissionPolicy,
  BULKHEAD_NAMESPACE,
  buildPolicy,
  type ControlGroup,
  DEFAULT_EXEMPT_NAMESPACES,
  defaultGroups,
  MODES,
  parseMode,
  type Violation,
  type VulnerabilityGate,
} from './policy.js';
export { loadAdmissionPolicy, parseAdmissionPolicy } from './policy-load.js';
export { OPERATIONS, type ParsedReview, parseReview, REVIEW_VERSIONS, ReviewError } from './review.js';
export { type AdmissionAuditOptions, type AdmissionAuditOutcome, auditAdmission } from './run-audit.js';
export { DEFAULT_BODY_LIMIT, type RunningServer, type ServeOptions, startAdmissionServer } from './server.js';
export {
  normaliseReference,
  storedVulnerabilityIndex,
  VULNERABILITY_CONTROL,
  type VulnerabilityIndex,
  vulnerabilityIndex,
} from './vulnerabilities.js';
