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

/** The constraint kind of a ConstraintTemplate whose targets carry a `K8sNativeValidation` (CEL) body. */
export function celTemplateKind(object: KubeObject): string | undefined {
  if (object.kind !== 'ConstraintTemplate' || !object.apiVersion.startsWith('templates.gatekeeper.sh/'))
    return undefined;
  const spec = isRecord(object.spec) ? object.spec : {};
  const targets = Array.isArray(spec.targets) ? spec.targets : [];
  const cel = targets.some(
    (t) =>
      isRecord(t) &&
      Array.isArray(t.code) &&
      t.code.some((c) => isRecord(c) && c.engine === 'K8sNativeValidation'),
  );
  const names =
    isRecord(spec.crd) && isRecord(spec.crd.spec) && isRecord(spec.crd.spec.names) ? spec.crd.spec.names : {};
  return cel && typeof names.kind === 'string' ? names.kind : undefined;
}

/**
 * Read constraints and their ConstraintTemplates. A kind whose template (in the same directory) has a CEL body runs
 * through that body, whoever wrote the template (`celDocuments`: those templates and their constraints); other
 * kinds Bulkhead implements run natively; constraints of any other kind (a Rego-only template) are listed as not
 * evaluated, never silently passed.
 */
export function readConstraintDir(dir: string): {
  constraints: Constraint[];
  celDocuments: KubeObject[];
  notImplemented: { kind: string; name: string; file?: string }[];
} {
  const constraints: Constraint[] = [];
  const notImplemented: { kind: string; name: string; file?: string }[] = [];
  const files = walk(dir);
  const { objects } = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  const templates = objects.filter((item) => celTemplateKind(item.object) !== undefined);
  const celKinds = new Set(templates.map((item) => celTemplateKind(item.object)!));
  const celDocuments = templates.map((item) => item.object);
  for (const item of objects) {
    const c = parseConstraint(item.object, item.source.file);
    if (!c) continue;
    if (celKinds.has(c.kind)) celDocuments.push(item.object);
    else if (isImplemented(c.kind)) constraints.push(c);
    else notImplemented.push({ kind: c.kind, name: c.name, ...(c.file ? { file: c.file } : {}) });
  }
  return { constraints, celDocuments, notImplemented };
}
