import { UserInputError } from '../core/errors.js';
import type { Severity } from '../core/severity.js';
import {
  CONTROLS,
  type Constraint,
  controlSelected,
  DEFAULT_PARAMETERS,
  type KubeException,
  type Parameters,
  type Policy as PosturePolicy,
  parsePssVersion,
  type StandardSelection,
} from '../hardening/kubernetes/index.js';
import { celChecks } from './cel-checks.js';
import type { ParsedReview } from './review.js';

export const ACTIONS = ['deny', 'warn', 'audit'] as const;
export type AdmissionAction = (typeof ACTIONS)[number];
export const MODES = ['audit', 'warn', 'enforce'] as const;
export type AdmissionMode = (typeof MODES)[number];
/** What happens to a Pod whose image was never scanned: nothing, or one of the actions. */
export const UNKNOWN_IMAGE_RULES = ['allow', ...ACTIONS] as const;
export type UnknownImageRule = (typeof UNKNOWN_IMAGE_RULES)[number];

/** Bulkhead's own namespace (where `admission manifests` installs the webhook): exempt by default. */
export const BULKHEAD_NAMESPACE = 'bulkhead-system';
export const DEFAULT_EXEMPT_NAMESPACES = ['kube-system', BULKHEAD_NAMESPACE];

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
  /** Gatekeeper constraints of the input that neither the native engine nor a template's CEL body evaluates. */
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

/**
 * The default bundle: every Pod Security Standards baseline row (upstream verdicts at the PSS version), plus the
 * catalogue's Critical controls that one request decides (scope M or M*), with default parameters.
 */
export function defaultGroups(): ControlGroup[] {
  const baseline = CONTROLS.filter((c) => controlSelected(c, 'pss-baseline')).map((c) => c.id);
  const critical = CONTROLS.filter(
    (c) => c.severity === 'CRITICAL' && c.scope !== 'C' && !baseline.includes(c.id),
  ).map((c) => c.id);
  return [
    { standard: 'pss-baseline', controls: baseline },
    { standard: 'all', controls: critical },
  ];
}

export interface PolicyOverrides {
  mode?: AdmissionMode;
  exemptNamespaces?: string[];
}

/** The admission fields of an `AdmissionPolicy` document, beside the posture policy's. */
export interface AdmissionFields {
  controls?: string[];
  actions?: Record<string, AdmissionAction>;
  defaultAction?: AdmissionAction;
  mode?: AdmissionMode;
  exemptNamespaces?: string[];
  exemptUsers?: string[];
  exemptGroups?: string[];
  vulnerabilities?: VulnerabilityGate;
}

export interface PolicyParts {
  /** The posture policy (standard, parameters, exceptions, disabled controls), when the input has one. */
  posture?: PosturePolicy;
  fields?: AdmissionFields;
  /** No bundle: only the constraints and CEL documents of the input apply. */
  noBundle?: boolean;
  constraints?: Constraint[];
  celDocuments?: unknown[];
}

/** Assemble a policy; unknown control ids are refused by name. */
export function buildPolicy(
  parts: PolicyParts,
  name: string,
  overrides: PolicyOverrides = {},
): AdmissionPolicy {
  const { posture, fields = {} } = parts;
  const known = new Set(CONTROLS.map((c) => c.id));
  const mentioned = [...(fields.controls ?? []), ...Object.keys(fields.actions ?? {})];
  const unknown = mentioned.filter((id) => !known.has(id));
  if (unknown.length) throw new UserInputError(name, `unknown control ${unknown.join(', ')}`);
  const standard = posture?.standard;
  let groups: ControlGroup[];
  if (fields.controls) groups = [{ standard: 'all', controls: fields.controls }];
  else if (standard)
    groups = [
      {
        standard: standard as StandardSelection,
        controls: CONTROLS.filter((c) => controlSelected(c, standard)).map((c) => c.id),
      },
    ];
  else if (parts.noBundle) groups = [];
  else groups = defaultGroups();
  const celDocuments = parts.celDocuments ?? [];
  const cel = celDocuments.length ? celChecks(celDocuments) : undefined;
  const disabled = new Set(posture?.disabledControls ?? []);
  groups = groups
    .map((g) => ({ ...g, controls: g.controls.filter((id) => !disabled.has(id)) }))
    .filter((g) => g.controls.length > 0);
  return {
    groups,
    parameters: posture?.parameters ?? DEFAULT_PARAMETERS,
    exceptions: posture?.exceptions ?? [],
    pssVersion: parsePssVersion(posture?.pssVersion),
    actions: fields.actions ?? {},
    defaultAction: fields.defaultAction ?? 'deny',
    mode: overrides.mode ?? fields.mode ?? 'enforce',
    exemptNamespaces: overrides.exemptNamespaces ?? fields.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES,
    exemptUsers: fields.exemptUsers ?? [],
    exemptGroups: fields.exemptGroups ?? [],
    constraints: parts.constraints ?? [],
    ...(fields.vulnerabilities ? { vulnerabilities: fields.vulnerabilities } : {}),
    celDocuments,
    ...(cel ? { extraChecks: cel.checks } : {}),
    unevaluated: celDocuments.flatMap((d) => {
      const doc = d as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
      const constraint = typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith(CONSTRAINT_GROUP);
      return constraint && !cel?.constraintKinds.includes(String(doc.kind))
        ? [`${String(doc.kind)}/${String(doc.metadata?.name ?? '')}`]
        : [];
    }),
  };
}

const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh/';

export function parseMode(value: string | undefined): AdmissionMode | undefined {
  if (value === undefined) return undefined;
  if ((MODES as readonly string[]).includes(value)) return value as AdmissionMode;
  throw new UserInputError('--mode', `"${value}" is not one of ${MODES.join(', ')}`);
}
