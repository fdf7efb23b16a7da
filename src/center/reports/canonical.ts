import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same document, however its keys were ordered, hashes alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** SHA-256 of the canonical body, hex: what makes a re-push of the same report a no-op. */
export function reportDigest(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
