import { type Constraint, parseConstraint } from '../../hardening/kubernetes/gatekeeper/constraints.js';
import { constraintMatches } from '../../hardening/kubernetes/gatekeeper/match.js';
import { Inventory } from '../../hardening/kubernetes/inventory.js';
import type { KubeObject, LoadedObject } from '../../hardening/kubernetes/objects/types.js';
import { compileProgram, type Program, type ProgramSource, runProgram } from './program.js';
import type { CelAdmissionInput, CelViolation, ValidationAction } from './types.js';
import { toCel } from './values.js';

/** The engine name of CEL code in a ConstraintTemplate target. */
export const CEL_ENGINE = 'K8sNativeValidation';

interface Doc {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: {
    crd?: { spec?: { names?: { kind?: unknown } } };
    targets?: { code?: { engine?: unknown; source?: unknown }[] }[];
  };
}

interface CompiledConstraint {
  constraint: Constraint;
  program: Program;
  /** The constraint object (Gatekeeper's `params`) and its `spec.parameters` (`variables.params`). */
  object: unknown;
  parameters: unknown;
}

/** Gatekeeper constraints whose ConstraintTemplate (in the same input) has a K8sNativeValidation body. */
export interface GatekeeperCelSet {
  constraints: readonly CompiledConstraint[];
  /** Constraint kinds evaluated through CEL here. */
  kinds: readonly string[];
}

const ACTIONS: Record<Constraint['enforcementAction'], ValidationAction> = {
  deny: 'Deny',
  warn: 'Warn',
  dryrun: 'Audit',
};

function celSource(template: Doc): { source: ProgramSource; index: string } | undefined {
  for (const [t, target] of (template.spec?.targets ?? []).entries())
    for (const [c, code] of (target.code ?? []).entries())
      if (code.engine === CEL_ENGINE)
        return {
          source: (code.source ?? {}) as ProgramSource,
          index: `spec.targets[${t}].code[${c}].source`,
        };
  return undefined;
}

/**
 * Compile the CEL body of each ConstraintTemplate once (a template whose CEL does not compile is rejected, with
 * or without constraints) and bind it to the constraints of its kind.
 */
export function compileGatekeeper(docs: readonly Doc[]): GatekeeperCelSet {
  const programs = new Map<string, Program>();
  for (const d of docs) {
    if (d.kind !== 'ConstraintTemplate' || !String(d.apiVersion).startsWith('templates.gatekeeper.sh/'))
      continue;
    const cel = celSource(d);
    const kind = d.spec?.crd?.spec?.names?.kind;
    if (!cel || typeof kind !== 'string') continue;
    programs.set(
      kind,
      compileProgram(`ConstraintTemplate/${String(d.metadata?.name ?? kind)}`, cel.source, cel.index),
    );
  }
  const constraints: CompiledConstraint[] = [];
  for (const d of docs) {
    if (typeof d.apiVersion !== 'string' || typeof d.kind !== 'string' || !d.metadata) continue;
    const constraint = parseConstraint(d as KubeObject);
    const program = constraint && programs.get(constraint.kind);
    if (!constraint || !program) continue;
    const parameters = (d.spec as { parameters?: unknown } | undefined)?.parameters;
    constraints.push({
      constraint,
      program,
      object: toCel(d),
      parameters: parameters === undefined ? null : toCel(parameters),
    });
  }
  return { constraints, kinds: [...new Set(constraints.map((c) => c.constraint.kind))].sort() };
}

/** The request as the native matcher reads it (the object, or for DELETE the old one). */
function loadedObject(input: CelAdmissionInput): LoadedObject {
  const raw = (input.object ?? input.oldObject ?? {}) as Partial<KubeObject>;
  const { group, version, kind } = input.kind;
  const object = {
    ...raw,
    apiVersion: raw.apiVersion ?? (group ? `${group}/${version}` : version),
    kind: raw.kind ?? kind,
    metadata: {
      ...(raw.metadata ?? {}),
      ...(input.namespace && !raw.metadata?.namespace ? { namespace: input.namespace } : {}),
    },
  } as KubeObject;
  return {
    object,
    source: {},
    admission: {
      apiVersion: 'admission.k8s.io/v1',
      operation: input.operation,
      ...(input.namespace ? { namespace: input.namespace } : {}),
      userInfo: input.userInfo,
    },
  };
}

/**
 * Evaluate each constraint whose `spec.match` selects the request (the native matcher: kinds, namespaces,
 * excludedNamespaces, labelSelector, namespaceSelector against `namespaceObject`). Variables as Gatekeeper sets
 * them: `variables.params` (the constraint's `spec.parameters`, null when absent), `variables.anyObject`
 * (`object`, or `oldObject` for DELETE), and `params` (the constraint itself).
 */
export function evaluateGatekeeper(
  set: GatekeeperCelSet,
  input: CelAdmissionInput,
  base: Record<string, unknown>,
): CelViolation[] {
  if (set.constraints.length === 0) return [];
  const item = loadedObject(input);
  const namespace = input.namespaceObject as KubeObject | undefined;
  const inventory = new Inventory(namespace?.metadata ? [{ object: namespace, source: {} }] : []);
  const anyObject = base.object ?? base.oldObject;
  const out: CelViolation[] = [];
  for (const c of set.constraints) {
    if (!constraintMatches(c.constraint.match, item, inventory)) continue;
    const policy = `${c.constraint.kind}/${c.constraint.name}`;
    const outcome = runProgram(
      c.program,
      { ...base, params: c.object },
      { params: c.parameters, anyObject },
      policy,
    );
    if (!outcome.matched) continue;
    const actions = [ACTIONS[c.constraint.enforcementAction]];
    const own = { policy, actions };
    const start = out.length;
    for (const f of outcome.failures) out.push({ ...own, actions: [...actions], message: f.message });
    const annotations = outcome.auditAnnotations;
    if (Object.keys(annotations).length === 0) continue;
    if (out.length > start) out[start]!.auditAnnotations = annotations;
    else out.push({ ...own, actions: [], message: '', auditAnnotations: annotations });
  }
  return out;
}
