import type { Severity } from '../core/severity.js';
import type {
  Constraint,
  Control,
  KubeException,
  Parameters,
  parsePssVersion,
  StandardSelection,
} from '../hardening/kubernetes/index.js';
import type { PolicyException } from '../hardening/kubernetes/kyverno/exceptions.js';
import type { KyvernoPolicy } from '../hardening/kubernetes/kyverno/policy.js';
import type { ParsedReview } from './review.js';

/**
 * The admission vocabulary: actions, modes, the policy and what checks return. Shared by policy.ts and the CEL
 * checks (cel-checks.ts), which policy.ts calls: kept apart so that neither imports the other for its types.
 */

export const ACTIONS = ['deny', 'warn', 'audit'] as const;
export type AdmissionAction = (typeof ACTIONS)[number];
export const MODES = ['audit', 'warn', 'enforce'] as const;
export type AdmissionMode = (typeof MODES)[number];
/** What happens to a Pod whose image was never scanned: nothing, or one of the actions. */
export const UNKNOWN_IMAGE_RULES = ['allow', ...ACTIONS] as const;
export type UnknownImageRule = (typeof UNKNOWN_IMAGE_RULES)[number];

/** Controls evaluated together under one standard selection (PSS rows give upstream verdicts in pss-* mode). */
export interface ControlGroup {
  standard: StandardSelection;
  controls: string[];
}

/** One failing check on the admitted object and what the policy does about it. */
export interface Violation {
  /** Catalogue control id (`K8S-POD-01`), or the id a hook gives its own checks (e.g. a CEL policy name). */
  control: string;
  severity: string;
  message: string;
  action: AdmissionAction;
  /** The Gatekeeper constraint (`Kind/name`) or other policy object that raised it, when not the bundle. */
  source?: string;
}

/** The vulnerability gate: images with stored findings at or above `severity` (K8S-IMG-09). */
export interface VulnerabilityGate {
  severity: Severity;
  action: AdmissionAction;
  /** Images no stored scan knows (default: allowed and audited). */
  unknownImages: UnknownImageRule;
}

/** What the webhook enforces: posture controls with their parameters and exceptions, plus admission settings. */
export interface AdmissionPolicy {
  groups: ControlGroup[];
  /** The policy file chose its own controls instead of the default bundle (PSS baseline + critical controls). */
  replacesDefaults?: boolean;
  parameters: Parameters;
  exceptions: KubeException[];
  pssVersion: ReturnType<typeof parsePssVersion>;
  /** Action per control id; others take defaultAction. */
  actions: Record<string, AdmissionAction>;
  defaultAction: AdmissionAction;
  /** The ceiling: audit turns every action into audit, warn turns deny into warn, enforce keeps them. */
  mode: AdmissionMode;
  /** Namespace globs, user name globs and group globs whose requests are allowed without evaluation. */
  exemptNamespaces: string[];
  exemptUsers: string[];
  exemptGroups: string[];
  /** The policy file's custom checks (Polaris JSON Schema, Bulkhead CEL), listed in `groups` by id. */
  customControls?: Control[];
  /** Gatekeeper constraints of kinds the posture engine implements, each with its own match and action. */
  constraints: Constraint[];
  /** The vulnerability gate, when configured. */
  vulnerabilities?: VulnerabilityGate;
  /**
   * Documents of the policy input that the native engine does not evaluate, kept in input order for the CEL
   * engine: ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ConstraintTemplate, constraints of
   * other kinds and any parameter objects.
   */
  celDocuments: unknown[];
  /** Checks run after the native ones on every non-exempt request (CEL); their violations are merged. */
  extraChecks?: ExtraChecks;
  /** Kyverno ClusterPolicies / Policies of the input (run through `extraChecks`; audit reads them too). */
  kyvernoPolicies?: KyvernoPolicy[];
  /** Kyverno PolicyExceptions of the input (their rules are set aside for mutation as for validation). */
  kyvernoExceptions?: PolicyException[];
  /** Bulkhead-native defaults (`defaults:`), by key of defaults/index.ts: filled in by the mutating webhook. */
  defaults?: Record<string, unknown>;
  /**
   * What of the input is not evaluated: Gatekeeper constraints neither the native engine nor a template's CEL
   * body evaluates, and Kyverno rules with an unsupported feature (named with the feature and a reason code).
   */
  unevaluated: string[];
}

/** What extra checks (CEL policies) say of one request: violations, and audit annotations of matched policies. */
export interface CheckOutcome {
  violations: Violation[];
  /** Annotations a matched policy sets whatever its verdict (ValidatingAdmissionPolicy auditAnnotations). */
  auditAnnotations?: Record<string, string>;
}

/** What the server knows beside the request: the Namespace object of a namespaced request, when cached. */
export interface CheckContext {
  namespaceObject?: unknown;
}

export type ExtraChecks = (review: ParsedReview, context?: CheckContext) => CheckOutcome;
