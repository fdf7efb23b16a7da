import { CONTROLS } from '../controls/index.js';
import type { ControlFailure, EvalContext } from '../controls/types.js';
import {
  controlSelected,
  type EvaluateOptions,
  type Evaluation,
  evaluateDetailed,
  resourceOf,
} from '../evaluate.js';
import { matchExceptions } from '../exceptions.js';
import { Inventory } from '../inventory.js';
import type { LoadedObject } from '../objects/types.js';
import { DEFAULT_PARAMETERS, parametersSchema } from '../parameters/schema.js';
import { LATEST_PSS_VERSION } from '../pss/version.js';
import type { Constraint } from './constraints.js';
import { GATEKEEPER_KINDS } from './mapping.js';
import { constraintMatches } from './match.js';

/** Findings of one constraint on one object; null when the constraint does not match it or its kind has no native check. */
export function constraintFindings(
  constraint: Constraint,
  item: LoadedObject,
  inventory: Inventory,
  base: Partial<EvalContext> = {},
): ControlFailure[] | null {
  const mapping = GATEKEEPER_KINDS[constraint.kind];
  if (!mapping || !constraintMatches(constraint.match, item, inventory)) return null;
  if (mapping.kinds && !mapping.kinds.includes(item.object.kind)) return null;
  if (mapping.skipUpdate && item.admission?.operation === 'UPDATE') return [];
  const ctx: EvalContext = {
    params: parametersSchema.parse({
      ...(base.params ?? DEFAULT_PARAMETERS),
      ...mapping.params(constraint.parameters),
    }),
    pssVersion: base.pssVersion ?? LATEST_PSS_VERSION,
    standard: 'all',
    inventory,
  };
  let applied = false;
  const out: ControlFailure[] = [];
  for (const id of mapping.controls) {
    const control = CONTROLS.find((c) => c.id === id)!;
    const f = control.check(item, ctx);
    if (f === null) continue;
    applied = true;
    out.push(...f);
  }
  return applied ? out : null;
}

export interface ConstraintOptions extends EvaluateOptions {
  constraints?: readonly Constraint[];
}

const STATUS = { deny: 'fail', warn: 'warn', dryrun: 'info' } as const;

/**
 * The standard's rows plus each Gatekeeper constraint applied with its own match and parameters. Rows a
 * constraint implements are evaluated through the constraints only.
 */
export function evaluateWithConstraints(
  objects: readonly LoadedObject[],
  options: ConstraintOptions = {},
): Evaluation {
  const constraints = options.constraints ?? [];
  if (constraints.length === 0) return evaluateDetailed(objects, options);
  const covered = new Set(constraints.flatMap((c) => GATEKEEPER_KINDS[c.kind]?.controls ?? []));
  const standard = options.standard ?? 'all';
  const rest = [...CONTROLS.filter((c) => controlSelected(c, standard)), ...(options.customControls ?? [])]
    .filter((c) => !covered.has(c.id) && (!options.controls || options.controls.includes(c.id)))
    .map((c) => c.id);
  const evaluation = evaluateDetailed(objects, { ...options, controls: rest });
  const inventory = new Inventory(options.context ? [...objects, ...options.context] : objects);
  for (const constraint of constraints) {
    const mapping = GATEKEEPER_KINDS[constraint.kind]!;
    const control = CONTROLS.find((c) => c.id === mapping.controls[0])!;
    for (const item of objects) {
      const findings = constraintFindings(constraint, item, inventory, {
        params: options.parameters ?? DEFAULT_PARAMETERS,
        pssVersion: options.pssVersion ?? LATEST_PSS_VERSION,
      });
      if (findings === null) continue;
      const failed = findings.length > 0;
      const resource = resourceOf(item.object);
      const { active, expired } = failed
        ? matchExceptions(options.exceptions ?? [], control.id, item.object, options.now ?? new Date())
        : { active: undefined, expired: [] };
      for (const e of expired)
        evaluation.expiredExceptions.push({ exception: e, control: control.id, resource });
      evaluation.results.push({
        control: control.id,
        controlVersion: control.version,
        title: `${control.title} (${constraint.kind} ${constraint.name})`,
        severity: control.severity,
        standards: [...control.standards],
        resource,
        status: failed ? STATUS[constraint.enforcementAction] : 'pass',
        message: failed ? findings.map((f) => f.message).join('; ') : 'passed',
        ...(failed && findings[0]!.field ? { field: findings[0]!.field } : {}),
        evidence: {
          constraint: {
            kind: constraint.kind,
            name: constraint.name,
            enforcementAction: constraint.enforcementAction,
          },
        },
        remediation: control.remediation,
        ...(active
          ? {
              suppressedBy: { reason: active.reason, ...(active.expires ? { expires: active.expires } : {}) },
            }
          : {}),
        source: item.source,
      });
    }
  }
  return evaluation;
}
