/** A Polaris schema template action: `{{ .metadata.name }}` (Go text/template, field paths only). */
const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const FIELD_PATH = /^(?:\.[A-Za-z_]\w*)+$/;

type Json = Record<string, unknown>;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, strings(k, out));
  return out;
}

/**
 * Whether a schema holds template actions, and the first one Bulkhead does not fill (anything but a field path of
 * the object: pipelines, functions, `if`, `range`).
 * @example templateUse({const: '{{ .metadata.name }}'}) // {templated: true}
 * @example templateUse({const: '{{ .metadata.name | lower }}'}) // {templated: true, refused: '{{ .metadata.name | lower }}'}
 */
export function templateUse(schema: unknown): { templated: boolean; refused?: string } {
  let templated = false;
  for (const s of strings(schema))
    for (const m of s.matchAll(ACTION)) {
      templated = true;
      if (!FIELD_PATH.test(m[1]!)) return { templated, refused: m[0] };
    }
  return { templated };
}

function lookup(object: unknown, path: string): string {
  let v: unknown = object;
  for (const key of path.slice(1).split('.')) v = v && typeof v === 'object' ? (v as Json)[key] : undefined;
  if (v === undefined || v === null) return '<no value>'; // Go's text/template output for a missing key
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function fill(value: unknown, object: unknown): unknown {
  if (typeof value === 'string') return value.replace(ACTION, (_m, path: string) => lookup(object, path));
  if (Array.isArray(value)) return value.map((v) => fill(v, object));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fill(k, object), fill(v, object)]));
  return value;
}

/** The schema with each `{{ .path }}` replaced by that field of the object, as Polaris fills it per resource. */
export function fillTemplate(schema: Json, object: unknown): Json {
  return fill(schema, object) as Json;
}
