import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: the same document, however its keys were ordered, hashes alike.
 * Written out by hand rather than through a `JSON.stringify` replacer, which copies every object: this runs on
 * every pushed report.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson(JSON.parse(JSON.stringify(value)));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** SHA-256 of the canonical body, hex: what makes a re-push of the same report a no-op. */
export function reportDigest(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
