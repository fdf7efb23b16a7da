import type { ValidateFunction } from 'ajv';
import { z } from 'zod';
import type { Control, ControlFailure } from '../controls/types.js';
import { podSpecOf } from '../objects/pod-spec.js';
import type { Json, KubeObject, LoadedObject } from '../objects/types.js';
import { compileSchema, firstError } from './json-schema.js';
import { kindMatches, severityWord } from './shared.js';
import { fillTemplate, templateUse } from './template.js';

const includeExclude = <T extends z.ZodType<string>>(item: T) =>
  z.object({ include: z.array(item).optional(), exclude: z.array(item).optional() }).strict();

/** The part of a workload a Polaris check validates; anything else is an object kind (`group/Kind`). */
const SPEC_TARGETS = ['Container', 'PodSpec', 'PodTemplate', 'Controller'] as const;

/**
 * A Polaris custom check (Polaris' `customChecks.<id>`), plus Bulkhead's `severity` (Polaris' `danger`/`warning`
 * or a Bulkhead severity) and `remediation`.
 */
export const polarisCheckSchema = z
  .object({
    successMessage: z.string().optional(),
    failureMessage: z.string(),
    category: z.string().optional(),
    severity: severityWord.optional(),
    remediation: z.string().optional(),
    target: z.string().min(1),
    schemaTarget: z.enum(['PodSpec']).optional(),
    controllers: includeExclude(z.string()).optional(),
    containers: includeExclude(z.enum(['container', 'initContainer'])).optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
    schemaString: z.string().optional(),
  })
  .strict();

export type PolarisCheckSource = z.infer<typeof polarisCheckSchema>;

/** Why a Polaris check cannot be loaded; the caller names the file and the check. */
export class CustomCheckError extends Error {}

/** `Deployments`, `deployment` and `Deployment` name the same controller, as Polaris reads them. */
const controllerName = (s: string) => s.toLowerCase().replace(/s$/, '');

/** Quantities as the typed API object holds them: `cpu: 1` is the string `"1"` to Polaris' schemas. */
function typedContainer(container: Json): Json {
  const resources = container.resources;
  if (!resources || typeof resources !== 'object') return container;
  const out: Json = { ...(resources as Json) };
  for (const part of ['limits', 'requests'])
    if (out[part] && typeof out[part] === 'object')
      out[part] = Object.fromEntries(
        Object.entries(out[part] as Json).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
      );
  return { ...container, resources: out };
}

function typedSpec(spec: Json): Json {
  const out: Json = { ...spec };
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'])
    if (Array.isArray(out[list]))
      out[list] = (out[list] as unknown[]).map((c) =>
        c && typeof c === 'object' ? typedContainer(c as Json) : c,
      );
  return out;
}

/** The pod template (`metadata` + `spec`) of a workload, from the path of its pod spec. */
function templateOf(object: KubeObject, specPath: string): Json {
  let v: unknown = object;
  for (const key of specPath.split('.').slice(0, -1)) v = (v as Json | undefined)?.[key];
  return (v ?? {}) as Json;
}

/** Compile a Polaris check into a control: the schema once, or once per distinct filled template. */
export function polarisControl(id: string, source: PolarisCheckSource): Control {
  if ((source.schema === undefined) === (source.schemaString === undefined))
    throw new CustomCheckError('give one of schema and schemaString');
  let schema: Json;
  if (source.schema) schema = source.schema;
  else {
    try {
      schema = z.record(z.string(), z.unknown()).parse(JSON.parse(source.schemaString!));
    } catch {
      throw new CustomCheckError('schemaString is not a JSON object');
    }
  }
  const template = templateUse(schema);
  if (template.refused)
    throw new CustomCheckError(
      `template ${template.refused} is not supported: only {{ .field.path }} of the object is filled in`,
    );
  const compile = (s: Json) => {
    try {
      return compileSchema(s);
    } catch (error) {
      throw new CustomCheckError(`schema: ${(error as Error).message}`);
    }
  };
  // a templated schema is compiled once with placeholders, so a malformed one fails when the policy loads
  const fixed = compile(template.templated ? fillTemplate(schema, {}) : schema);
  const filled = new Map<string, ValidateFunction>();
  const validatorFor = (object: KubeObject): ValidateFunction => {
    if (!template.templated) return fixed;
    const s = fillTemplate(schema, object);
    const key = JSON.stringify(s);
    let v = filled.get(key);
    if (!v) {
      if (filled.size > 256) filled.clear();
      v = compile(s);
      filled.set(key, v);
    }
    return v;
  };
  const target = source.target;
  const onWorkload = (SPEC_TARGETS as readonly string[]).includes(target);
  const included = source.controllers?.include?.map(controllerName);
  const excluded = new Set(source.controllers?.exclude?.map(controllerName));
  const containerTypes = (list: string) => {
    const type =
      list === 'initContainers' ? 'initContainer' : list === 'containers' ? 'container' : undefined;
    if (!type) return false; // Polaris does not judge ephemeral containers
    const inc = source.containers?.include;
    return (!inc || inc.includes(type)) && !source.containers?.exclude?.includes(type);
  };
  const message = (detail: string, where?: string) =>
    `${where ? `${where}: ` : ''}${source.failureMessage} (${detail})`;

  const check = (item: LoadedObject): ControlFailure[] | null => {
    const object = item.object;
    if (!onWorkload) {
      if (!kindMatches(target, object)) return null;
      const validate = validatorFor(object);
      return validate(object) ? [] : [{ message: message(firstError(validate)) }];
    }
    const view = podSpecOf(object);
    if (!view) return null;
    const kind = controllerName(object.kind);
    if ((included && !included.includes(kind)) || excluded.has(kind)) return null;
    const validate = validatorFor(object);
    const one = (data: unknown, field: string, where?: string): ControlFailure[] =>
      validate(data) ? [] : [{ message: message(firstError(validate), where), field }];
    if (target === 'Controller') return one(object, '');
    if (target === 'PodTemplate') {
      const path = view.path.split('.').slice(0, -1).join('.');
      const t = templateOf(object, view.path);
      return one({ ...t, spec: typedSpec(view.spec) }, path);
    }
    if (target === 'PodSpec') return one(typedSpec(view.spec), view.path);
    const out: ControlFailure[] = [];
    for (const c of view.containers) {
      if (!containerTypes(c.list)) continue;
      const container = typedContainer(c.container);
      // schemaTarget PodSpec: the pod spec holding only this container, as Polaris builds it
      const data =
        source.schemaTarget === 'PodSpec'
          ? { ...typedSpec(view.spec), initContainers: [], containers: [container] }
          : container;
      out.push(...one(data, c.path, c.label));
    }
    return out;
  };
  return {
    id,
    title: source.successMessage ?? source.failureMessage,
    severity: source.severity ?? 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: source.remediation ?? source.failureMessage,
    check,
  };
}
