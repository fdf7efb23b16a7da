import { EvaluationError } from '@marcbachmann/cel-js';

/** Nesting depth beyond which values are not converted: an expression that reaches there fails to evaluate. */
export const MAX_VALUE_DEPTH = 128;

/** Stands for a subtree nested too deeply: any look into it is a CEL evaluation error. */
function tooDeep(): object {
  const fail = (): never => {
    throw new EvaluationError(`value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail });
}

/**
 * JSON (a parsed Kubernetes object) as CEL values: integral numbers become CEL ints (BigInt), as the API server
 * reads untyped JSON; fields whose value is null are left out (the API server drops them when it decodes an
 * object, so `has()` is false for them); other values are kept. Returns a copy. Subtrees deeper than
 * MAX_VALUE_DEPTH are replaced by a value that raises an evaluation error when an expression reads it.
 * @example toCel({spec: {replicas: 3}}) // {spec: {replicas: 3n}}
 */
export function toCel(value: unknown, depth = 0): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array)
    return value;
  if (depth >= MAX_VALUE_DEPTH) return tooDeep();
  if (Array.isArray(value)) return value.map((v) => toCel(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = toCel(v, depth + 1);
  return out;
}

/** Labels of an object (`metadata.labels`), as plain strings. */
export function labelsOf(object: unknown): Record<string, string> {
  const labels = (object as { metadata?: { labels?: unknown } } | null)?.metadata?.labels;
  if (!labels || typeof labels !== 'object') return {};
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
}
