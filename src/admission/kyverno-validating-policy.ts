import { compileCelPolicies } from './cel/index.js';

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kyverno's CEL `ValidatingPolicy` (policies.kyverno.io). */
export function isValidatingPolicy(d: unknown): boolean {
  return (
    isRecord(d) &&
    typeof d.apiVersion === 'string' &&
    d.apiVersion.startsWith('policies.kyverno.io/') &&
    d.kind === 'ValidatingPolicy'
  );
}

const VAP_FIELDS = [
  'matchConstraints',
  'matchConditions',
  'variables',
  'validations',
  'auditAnnotations',
  'failurePolicy',
];
/** Fields that change nothing about the verdict of one request (where Kyverno installs or reports it). */
const IGNORED_FIELDS = ['validationActions', 'webhookConfiguration', 'evaluation', 'autogen'];
const ACTIONS = new Set(['Deny', 'Warn', 'Audit']);

/**
 * A Kyverno ValidatingPolicy as the ValidatingAdmissionPolicy and binding it stands for, so that the CEL engine
 * runs it: its match constraints, conditions, variables, validations and audit annotations keep their meaning,
 * `validationActions` (default Deny) go to the binding. A policy that does not translate (a field this has no
 * counterpart for, an expression using Kyverno's own CEL libraries) is named instead, with a reason code.
 */
export function translateValidatingPolicies(documents: readonly unknown[]): {
  documents: unknown[];
  unevaluated: string[];
} {
  const out: unknown[] = [];
  const unevaluated: string[] = [];
  for (const d of documents.filter(isValidatingPolicy) as Rec[]) {
    const metadata = isRecord(d.metadata) ? d.metadata : {};
    const name = String(metadata.name ?? '');
    const spec = isRecord(d.spec) ? d.spec : {};
    const label = `ValidatingPolicy/${name}`;
    const extra = Object.keys(spec).filter((k) => !VAP_FIELDS.includes(k) && !IGNORED_FIELDS.includes(k));
    if (extra.length > 0) {
      unevaluated.push(`${label}: spec.${extra.join(', spec.')} (unsupported-feature)`);
      continue;
    }
    const actions = Array.isArray(spec.validationActions) ? spec.validationActions.map(String) : ['Deny'];
    if (actions.some((a) => !ACTIONS.has(a))) {
      unevaluated.push(`${label}: validationActions ${actions.join(', ')} (invalid-policy)`);
      continue;
    }
    const vapSpec = Object.fromEntries(
      VAP_FIELDS.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]),
    );
    const pair = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name },
        spec: vapSpec,
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: `${name}-binding` },
        spec: { policyName: name, validationActions: actions },
      },
    ];
    try {
      compileCelPolicies(pair);
    } catch (error) {
      unevaluated.push(`${label}: ${(error as Error).message} (unsupported-feature)`);
      continue;
    }
    out.push(...pair);
  }
  return { documents: out, unevaluated };
}
