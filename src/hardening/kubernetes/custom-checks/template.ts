/** A Polaris schema template action: `{{ .metadata.name }}` (Go text/template). */
const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
/** The actions Bulkhead fills: a field path of the object, or of the pod spec / template Polaris adds. */
const FIELD_PATH = /^(?:\.Polaris\.(?:PodSpec|PodTemplate)|\.(?!Polaris\b)[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*$/;

type Json = Record<string, unknown>;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, strings(k, out));
  return out;
}

/**
 * Whether a schema (a tree, or the text of a `schemaString`) holds template actions, and the first one Bulkhead
 * does not fill: anything but a field path (pipelines, functions, variables, `if`, `range`).
 * @example templateUse({const: '{{ .metadata.name }}'}) // {templated: true}
 * @example templateUse('{{ if .spec }}x{{ end }}') // {templated: true, refused: '{{ if .spec }}'}
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

function lookup(data: unknown, path: string): string {
  let v: unknown = data;
  for (const key of path.slice(1).split('.')) v = v && typeof v === 'object' ? (v as Json)[key] : undefined;
  if (v === undefined || v === null) return '<no value>'; // Go's text/template output for a missing key
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A text with each `{{ .path }}` replaced by that field of `data`. */
export function fillText(text: string, data: unknown): string {
  return text.replace(ACTION, (_m, path: string) => lookup(data, path));
}

function fill(value: unknown, data: unknown): unknown {
  if (typeof value === 'string') return fillText(value, data);
  if (Array.isArray(value)) return value.map((v) => fill(v, data));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fillText(k, data), fill(v, data)]));
  return value;
}

/** The schema tree with each `{{ .path }}` in its strings replaced by that field of `data`. */
export function fillTemplate(schema: Json, data: unknown): Json {
  return fill(schema, data) as Json;
}
