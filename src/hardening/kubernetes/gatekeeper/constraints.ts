import { readFileSync } from 'node:fs';
import { walk } from '../objects/files.js';
import { isRecord, loadObjects } from '../objects/load.js';
import type { Json, KubeObject } from '../objects/types.js';
import { GATEKEEPER_KINDS } from './mapping.js';

export type EnforcementAction = 'deny' | 'dryrun' | 'warn';

export interface Constraint {
  kind: string;
  name: string;
  match: Json;
  parameters: Json;
  enforcementAction: EnforcementAction;
  file?: string;
}

/** A constraint object (`constraints.gatekeeper.sh`), or undefined when the object is not one. */
export function parseConstraint(object: KubeObject, file?: string): Constraint | undefined {
  if (!object.apiVersion.startsWith('constraints.gatekeeper.sh/')) return undefined;
  const spec = isRecord(object.spec) ? object.spec : {};
  const action = String(spec.enforcementAction ?? 'deny');
  return {
    kind: object.kind,
    name: object.metadata.name ?? '',
    match: isRecord(spec.match) ? spec.match : {},
    parameters: isRecord(spec.parameters) ? spec.parameters : {},
    enforcementAction: action === 'dryrun' || action === 'warn' ? action : 'deny',
    ...(file ? { file } : {}),
  };
}

export function isImplemented(kind: string): boolean {
  return Object.hasOwn(GATEKEEPER_KINDS, kind);
}

/** Parameter keys of an implemented constraint that Bulkhead's mapping of its kind does not translate. */
export function untranslatedParameters(constraint: Constraint): string[] {
  const known = GATEKEEPER_KINDS[constraint.kind]?.parameters ?? [];
  return Object.keys(constraint.parameters).filter((k) => !known.includes(k));
}

/**
 * Read constraints (and ignore their ConstraintTemplates: Bulkhead runs its own implementation of each kind).
 * Constraints of kinds Bulkhead does not implement are listed, never silently passed.
 */
export function readConstraintDir(dir: string): {
  constraints: Constraint[];
  notImplemented: { kind: string; name: string; file?: string }[];
} {
  const constraints: Constraint[] = [];
  const notImplemented: { kind: string; name: string; file?: string }[] = [];
  const files = walk(dir);
  const { objects } = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  for (const item of objects) {
    const c = parseConstraint(item.object, item.source.file);
    if (!c) continue;
    if (isImplemented(c.kind)) constraints.push(c);
    else notImplemented.push({ kind: c.kind, name: c.name, ...(c.file ? { file: c.file } : {}) });
  }
  return { constraints, notImplemented };
}
