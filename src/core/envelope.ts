import { SCHEMA_VERSION, TOOL } from './version.js';

/** The common head of every JSON document Bulkhead emits (CONTRACTS.md). */
export interface Envelope<K extends string = string> {
  schemaVersion: typeof SCHEMA_VERSION;
  kind: K;
  generatedAt: string;
  tool: { name: string; version: string };
}

export type Document<K extends string, B extends object> = Envelope<K> & B;

/**
 * Wrap a body in the envelope. The body's own keys follow the envelope's, in insertion order.
 * @example envelope('DatabaseStatus', { advisories: 3, sources: [] })
 */
export function envelope<K extends string, B extends object>(
  kind: K,
  body: B,
  now: Date = new Date(),
): Document<K, B> {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind,
    generatedAt: now.toISOString(),
    tool: { name: TOOL.name, version: TOOL.version },
    ...body,
  };
}
