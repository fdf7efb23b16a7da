import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: the same document, however its keys were ordered, hashes alike.
 * Written by `JSON.stringify` with a replacer that hands it each object's keys in sorted order (an object already
 * sorted is passed as it is), which is several times faster than building the text by hand; it runs on every
 * pushed report. JavaScript always enumerates integer-like keys ("2", "10") first and in numeric order, so a
 * document with such a key takes the hand-written path instead: the text is the same either way.
 */
export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(value, sortKeys) ?? 'null';
  } catch (error) {
    if (error !== INTEGER_KEY) throw error;
    return canonicalByHand(value);
  }
}

const INTEGER_KEY = Symbol('integer-like key');
const INTEGER_LIKE = /^(?:0|[1-9][0-9]*)$/;

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    if (INTEGER_LIKE.test(keys[i]!)) throw INTEGER_KEY;
    if (i > 0 && keys[i - 1]! > keys[i]!) sorted = false;
  }
  if (sorted) return value;
  keys.sort();
  const copy: Record<string, unknown> = {};
  for (const k of keys) copy[k] = (value as Record<string, unknown>)[k];
  return copy;
}

function canonicalByHand(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalByHand(JSON.parse(JSON.stringify(value)));
  if (Array.isArray(value)) return `[${value.map(canonicalByHand).join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalByHand(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** SHA-256 of the canonical body, hex: what makes a re-push of the same report a no-op. */
export function reportDigest(document: unknown): string {
  return canonicalReport(document).digest;
}

/**
 * The canonical text of a report and its digest, from one walk: the center stores this text as the report's body
 * (the same document, keys sorted), so a push serialises its body once, not twice.
 */
export function canonicalReport(document: unknown): { text: string; digest: string } {
  const text = canonicalJson(document);
  return { text, digest: createHash('sha256').update(text).digest('hex') };
}
