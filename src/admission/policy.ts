import { UserInputError } from '../core/errors.js';
import {
  CONTROLS,
  type Constraint,
  controlSelected,
  DEFAULT_PARAMETERS,
  type Policy as PosturePolicy,
  parsePssVersion,
  type StandardSelection,
} from '../hardening/kubernetes/index.js';
import { celChecks } from './cel-checks.js';
import {
  combineChecks,
  isKyvernoDocument,
  kyvernoChecks,
  kyvernoExceptionsOf,
  kyvernoPoliciesOf,
  unsupportedRules,
} from './kyverno-checks.js';
import { isValidatingPolicy, translateValidatingPolicies } from './kyverno-validating-policy.js';
import {
  type AdmissionAction,
  type AdmissionMode,
  type AdmissionPolicy,
  type ControlGroup,
  MODES,
  type VulnerabilityGate,
} from './types.js';

export type {
  AdmissionAction,
  AdmissionMode,
  AdmissionPolicy,
  CheckContext,
  CheckOutcome,
  ControlGroup,
  ExtraChecks,
  UnknownImageRule,
  Violation,
  VulnerabilityGate,
} from './types.js';
export { ACTIONS, MODES, UNKNOWN_IMAGE_RULES } from './types.js';

/** Bulkhead's own namespace (where `admission manifests` installs the webhook): exempt by default. */
export const BULKHEAD_NAMESPACE = 'bulkhead-system';
export const DEFAULT_EXEMPT_NAMESPACES = ['kube-system', BULKHEAD_NAMESPACE];

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
  /** `--with-defaults`: the default bundle's controls run beside the ones the file chooses. */
  withDefaults?: boolean;
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
  defaults?: Record<string, unknown>;
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
  const custom = posture?.customControls ?? [];
  const known = new Set([...CONTROLS, ...custom].map((c) => c.id));
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
  const replacesDefaults = Boolean(fields.controls || standard || parts.noBundle);
  if (replacesDefaults && overrides.withDefaults) {
    const chosen = new Set(groups.flatMap((g) => g.controls));
    groups = [
      ...groups,
      ...defaultGroups()
        .map((g) => ({ ...g, controls: g.controls.filter((id) => !chosen.has(id)) }))
        .filter((g) => g.controls.length > 0),
    ];
  }
  // Kyverno policies run on their own engine; the other documents go to the CEL engine
  const kyverno = kyvernoPoliciesOf(parts.celDocuments ?? [], name);
  // Kyverno's CEL ValidatingPolicies become the ValidatingAdmissionPolicy + binding they stand for
  const validating = translateValidatingPolicies(parts.celDocuments ?? []);
  const celDocuments = [
    ...(parts.celDocuments ?? []).filter((d) => !isKyvernoDocument(d) && !isValidatingPolicy(d)),
    ...validating.documents,
  ];
  const cel = celDocuments.length ? celChecks(celDocuments) : undefined;
  const kyvernoExceptions = kyvernoExceptionsOf(parts.celDocuments ?? []);
  const extraChecks = combineChecks(
    cel?.checks,
    kyverno.length ? kyvernoChecks(kyverno, kyvernoExceptions) : undefined,
  );
  // custom checks run beside the bundle, unless `controls` lists which of every control to run
  if (custom.length && !fields.controls)
    groups = [...groups, { standard: 'all', controls: custom.map((c) => c.id) }];
  const disabled = new Set(posture?.disabledControls ?? []);
  groups = groups
    .map((g) => ({ ...g, controls: g.controls.filter((id) => !disabled.has(id)) }))
    .filter((g) => g.controls.length > 0);
  return {
    groups,
    ...(replacesDefaults && !overrides.withDefaults ? { replacesDefaults: true } : {}),
    parameters: posture?.parameters ?? DEFAULT_PARAMETERS,
    exceptions: posture?.exceptions ?? [],
    pssVersion: parsePssVersion(posture?.pssVersion),
    actions: fields.actions ?? {},
    defaultAction: fields.defaultAction ?? 'deny',
    mode: overrides.mode ?? fields.mode ?? 'enforce',
    exemptNamespaces: overrides.exemptNamespaces ?? fields.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES,
    exemptUsers: fields.exemptUsers ?? [],
    exemptGroups: fields.exemptGroups ?? [],
    ...(custom.length ? { customControls: custom } : {}),
    constraints: parts.constraints ?? [],
    ...(fields.vulnerabilities ? { vulnerabilities: fields.vulnerabilities } : {}),
    celDocuments,
    ...(extraChecks ? { extraChecks } : {}),
    kyvernoPolicies: kyverno,
    ...(kyvernoExceptions.length ? { kyvernoExceptions } : {}),
    ...(fields.defaults && Object.keys(fields.defaults).length ? { defaults: fields.defaults } : {}),
    unevaluated: [
      ...unsupportedRules(kyverno),
      ...validating.unevaluated,
      ...celDocuments.flatMap((d) => {
        const doc = d as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
        const constraint = typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith(CONSTRAINT_GROUP);
        return constraint && !cel?.constraintKinds.includes(String(doc.kind))
          ? [`${String(doc.kind)}/${String(doc.metadata?.name ?? '')}`]
          : [];
      }),
    ],
  };
}

const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh/';

export function parseMode(value: string | undefined): AdmissionMode | undefined {
  if (value === undefined) return undefined;
  if ((MODES as readonly string[]).includes(value)) return value as AdmissionMode;
  throw new UserInputError('--mode', `"${value}" is not one of ${MODES.join(', ')}`);
}
