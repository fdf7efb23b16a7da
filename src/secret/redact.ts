/** At most this many characters of a secret are shown, and never more than a quarter of it. */
const SHOWN = 4;
/** The mask's length is bounded: it says a secret is there, not how long it is. */
const MASK_MIN = 4;
const MASK_MAX = 16;
/** A shown match is one line of at most this many characters around the masked secret. */
const CONTEXT = 40;

/**
 * A secret as it may be printed: a short prefix (at most 4 characters and a quarter of its length), then stars.
 * @example maskSecret('AKIAZ7VRSQ5TEXAMPLE1') // 'AKIA****************'
 */
export function maskSecret(secret: string): string {
  const compact = secret.replace(/\s+/g, '');
  const shown = compact.slice(0, Math.min(SHOWN, Math.floor(compact.length / 4)));
  const masked = Math.min(MASK_MAX, Math.max(MASK_MIN, compact.length - shown.length));
  return `${shown}${'*'.repeat(masked)}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

/**
 * The match as a finding shows it: the text before and after the secret (one line, at most 40 characters each
 * side) around the masked secret.
 * @example redactMatch('aws_secret_access_key = "wJal…"', 24, 64) // 'aws_secret_access_key = "wJal****************"'
 */
export function redactMatch(match: string, secretStart: number, secretEnd: number): string {
  // a lone character either side is the boundary the pattern needed (`=AKIA…`), not context worth showing
  const boundary = (text: string) => (/^[^0-9A-Za-z]$/.test(text) ? '' : text);
  const before = boundary(oneLine(match.slice(0, secretStart)).slice(-CONTEXT));
  const after = boundary(oneLine(match.slice(secretEnd)).slice(0, CONTEXT));
  return `${before}${maskSecret(match.slice(secretStart, secretEnd))}${after}`.trim();
}
