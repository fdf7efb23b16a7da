/**
 * JSON (a parsed Kubernetes object) as CEL values: integral numbers become CEL ints (BigInt), as the API server
 * reads untyped JSON; fields whose value is null are left out (the API server drops them when it decodes an
 * object, so `has()` is false for them); other values are kept. Returns a copy.
 * @example toCel({spec: {replicas: 3}}) // {spec: {replicas: 3n}}
 */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = toCel(v);
    return out;
  }
  return value === undefined ? null : value;
}

/** Labels of an object (`metadata.labels`), as plain strings. */
export function labelsOf(object: unknown): Record<string, string> {
  const labels = (object as { metadata?: { labels?: unknown } } | null)?.metadata?.labels;
  if (!labels || typeof labels !== 'object') return {};
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
}
