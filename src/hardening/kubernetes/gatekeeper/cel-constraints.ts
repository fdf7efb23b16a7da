import { baseActivation } from '../../../admission/cel/activation.js';
import {
  compileGatekeeper,
  evaluateGatekeeper,
  type GatekeeperCelSet,
} from '../../../admission/cel/gatekeeper.js';
import type { CelAdmissionInput } from '../../../admission/cel/types.js';
import { type EvaluatedResult, resourceOf } from '../evaluate.js';
import type { Inventory } from '../inventory.js';
import type { LoadedObject } from '../objects/types.js';
import { CLUSTER_SCOPED, constraintMatches } from './match.js';

export type { GatekeeperCelSet };

/**
 * Compile the `K8sNativeValidation` (CEL) body of every ConstraintTemplate among the documents and bind it to the
 * constraints of its kind: any user's template, not only the library's.
 * @throws CelPolicyError naming the template and expression that do not compile
 */
export function compileCelConstraints(documents: readonly unknown[]): GatekeeperCelSet {
  return compileGatekeeper(documents as Parameters<typeof compileGatekeeper>[0]);
}

/** The admission request an object stands for: its recorded AdmissionReview, or a CREATE of it. */
export function admissionInputOf(item: LoadedObject, inventory: Inventory): CelAdmissionInput {
  const o = item.object;
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/', 2) : ['', o.apiVersion];
  const namespace = CLUSTER_SCOPED.has(o.kind)
    ? undefined
    : (o.metadata.namespace ?? item.admission?.namespace ?? 'default');
  const operation = (item.admission?.operation ?? 'CREATE') as CelAdmissionInput['operation'];
  const namespaceObject = namespace ? inventory.find('Namespace', namespace) : undefined;
  return {
    operation,
    object: operation === 'DELETE' ? null : o,
    oldObject: item.admission?.oldObject ?? null,
    ...(namespaceObject ? { namespaceObject } : {}),
    userInfo: item.admission?.userInfo ?? {},
    kind: { group: group!, version: version!, kind: o.kind },
    resource: { group: group!, version: version!, resource: `${o.kind.toLowerCase()}s` },
    ...(namespace ? { namespace } : {}),
    ...(o.metadata.name ? { name: o.metadata.name } : {}),
    dryRun: false,
  };
}

const STATUS = { Deny: 'fail', Warn: 'warn', Audit: 'info' } as const;

/**
 * One row per CEL constraint and object it matches, the control named `<Kind>/<constraint name>`: the failed
 * validations' messages (status by the constraint's enforcementAction), or a pass.
 */
export function celConstraintResults(
  objects: readonly LoadedObject[],
  set: GatekeeperCelSet,
  inventory: Inventory,
): EvaluatedResult[] {
  const out: EvaluatedResult[] = [];
  if (set.constraints.length === 0) return out;
  for (const item of objects) {
    const input = admissionInputOf(item, inventory);
    const base = baseActivation(input);
    for (const compiled of set.constraints) {
      const { constraint } = compiled;
      if (!constraintMatches(constraint.match, item, inventory)) continue;
      const failed = evaluateGatekeeper(
        { constraints: [compiled], kinds: [constraint.kind] },
        input,
        base,
      ).filter((v) => v.actions.length > 0);
      out.push({
        control: `${constraint.kind}/${constraint.name}`,
        title: `${constraint.kind} ${constraint.name} (Gatekeeper CEL template)`,
        severity: 'UNKNOWN',
        standards: [],
        resource: resourceOf(item.object),
        status: failed.length ? STATUS[failed[0]!.actions[0]!] : 'pass',
        message: failed.length ? failed.map((v) => v.message).join('; ') : 'passed',
        evidence: {
          constraint: {
            kind: constraint.kind,
            name: constraint.name,
            enforcementAction: constraint.enforcementAction,
          },
        },
        remediation: '',
        source: item.source,
      });
    }
  }
  return out;
}
