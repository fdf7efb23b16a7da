import type { Json, KubeObject } from '../objects/types.js';

/* What Polaris' schemas see of an object: Go's typed API structs, marshalled back to JSON. */

/** Quantities as the typed API object holds them: `cpu: 1` is the string `"1"` to Polaris' schemas. */
export function typedContainer(container: Json): Json {
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

export function typedSpec(spec: Json): Json {
  const out: Json = { ...spec };
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'])
    if (Array.isArray(out[list]))
      out[list] = (out[list] as unknown[]).map((c) =>
        c && typeof c === 'object' ? typedContainer(c as Json) : c,
      );
  return out;
}

/** Fields whose value is null left out, as the API server decodes an object (and as Polaris' typed structs hold it). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** The pod template (`metadata` + `spec`) of a workload, from the path of its pod spec. */
export function templateOf(object: KubeObject, specPath: string): Json {
  let v: unknown = object;
  for (const key of specPath.split('.').slice(0, -1)) v = (v as Json | undefined)?.[key];
  return (v ?? {}) as Json;
}
