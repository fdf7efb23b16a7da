import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 hex: what the store keeps of session ids and tokens. They are random, so a fast hash is enough. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const TOKEN = /^bh_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{20,})$/;

/** A new API token `bh_<prefix8>_<secret>`; the prefix is visible in lists, the secret is 32 random bytes. */
export function newToken(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const secret = randomBytes(32).toString('base64url');
  return { token: `bh_${prefix}_${secret}`, prefix };
}

export function looksLikeToken(value: string): boolean {
  return TOKEN.test(value);
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a session (double submit bound to the session): derived from the id, so nothing more is
 * stored; different from the stored hash, so the table does not reveal it, and useless without the cookie.
 */
export function csrfTokenFor(sessionId: string): string {
  return sha256(`csrf:${sessionId}`);
}
