import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Control, ControlFailure } from '../controls/types.js';
import { givenObject } from '../objects/defaults.js';
import { podSpecOf } from '../objects/pod-spec.js';
import type { Json, KubeObject, LoadedObject } from '../objects/types.js';
import { compileSchema, firstError } from './json-schema.js';
import { templateOf, typedContainer, typedSpec, withoutNulls } from './object-views.js';
import { CustomCheckError, severityWord } from './shared.js';
import { fillTemplate, fillText, templateUse } from './template.js';

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

/** `Deployments`, `deployment` and `Deployment` name the same controller, as Polaris reads them. */
const controllerName = (s: string) => s.toLowerCase().replace(/s$/, '');

/** `required:` left empty (null) requires nothing, as Polaris' validator reads it; Ajv would refuse the schema. */
function tolerant(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tolerant);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'required' && v === null))
      .map(([k, v]) => [k, tolerant(v)]),
  );
}

/** The schema text of a `schemaString` (YAML or JSON, as Polaris reads it) as a tree. */
function parseSchemaText(text: string): Json {
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new CustomCheckError(`schemaString is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CustomCheckError('schemaString does not hold a mapping');
  return value as Json;
}

/** Compile a Polaris check into a control: the schema once, or once per distinct filled template. */
export function polarisControl(id: string, source: PolarisCheckSource): Control {
  if ((source.schema === undefined) === (source.schemaString === undefined))
    throw new CustomCheckError('give one of schema and schemaString');
  const template = templateUse(source.schema ?? source.schemaString);
  if (template.refused)
    throw new CustomCheckError(
      `template ${template.refused} is not supported: only {{ .field.path }} of the object (or of .Polaris.PodSpec, .Polaris.PodTemplate) is filled in`,
    );
  // Polaris fills a template in the schema's text, then reads it: a schemaString is parsed per filled text
  const schemaFor = (data: unknown): Json => {
    if (source.schema)
      return (template.templated ? fillTemplate(source.schema, data) : source.schema) as Json;
    return parseSchemaText(template.templated ? fillText(source.schemaString!, data) : source.schemaString!);
  };
  const compile = (s: Json) => {
    try {
      return compileSchema(tolerant(s) as Json);
    } catch (error) {
      throw new CustomCheckError(`schema: ${(error as Error).message}`);
    }
  };
  // a templated schema is compiled once with placeholders, so a malformed one fails when the policy loads
  const fixed = compile(schemaFor({}));
  const filled = new Map<string, ValidateFunction>();
  const validatorFor = (object: KubeObject): ValidateFunction => {
    if (!template.templated) return fixed;
    const view = podSpecOf(object);
    const data = {
      ...object,
      Polaris: view ? { PodSpec: view.spec, PodTemplate: templateOf(object, view.path) } : {},
    };
    let s: Json;
    try {
      s = schemaFor(data);
    } catch {
      s = { not: {} }; // a filled text that no longer parses: the object fails the check
    }
    const key = JSON.stringify(s);
    let v = filled.get(key);
    if (!v) {
      if (filled.size > 256) filled.clear();
      try {
        v = compile(s);
      } catch {
        v = compile({ not: {} });
      }
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
    // a Polaris check reads the object as written, as Polaris does: not with the API server's defaults
    const object = givenObject(item);
    if (!onWorkload) {
      // Polaris compares the kind only: `policy/PodDisruptionBudget` names its group for the reader
      if (target.slice(target.lastIndexOf('/') + 1) !== object.kind) return null;
      const validate = validatorFor(object);
      return validate(withoutNulls(object)) ? [] : [{ message: message(firstError(validate)) }];
    }
    const view = podSpecOf(object);
    if (!view) return null;
    const kind = controllerName(object.kind);
    if ((included && !included.includes(kind)) || excluded.has(kind)) return null;
    const validate = validatorFor(object);
    const one = (data: unknown, field: string, where?: string): ControlFailure[] =>
      validate(withoutNulls(data)) ? [] : [{ message: message(firstError(validate), where), field }];
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
