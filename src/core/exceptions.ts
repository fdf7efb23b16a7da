import { UserInputError } from './errors.js';

/**
 * The one suppression model for findings, control results and alerts: who, why, until when.
 * Each engine adds its own scope fields (package, namespace glob, rule key…) and matches them itself;
 * what it means to be active is decided here only.
 */
export interface ExceptionBase {
  /** Vulnerability id, control id or rule id the exception applies to. */
  id: string;
  /** Why it is accepted. Required: an exception without a reason is refused on load. */
  reason: string;
  /** Who accepted it. */
  by?: string;
  /** ISO date (YYYY-MM-DD) or date-time after which it no longer suppresses. */
  expires?: string;
}

export type ExceptionState = 'active' | 'expired';

/**
 * State of an exception at `now`. A date-only `expires` is valid through the whole of that day (UTC).
 * @example exceptionState({ id: 'CVE-1', reason: 'x', expires: '2020-01-01' }) // 'expired'
 */
export function exceptionState(exception: ExceptionBase, now: Date = new Date()): ExceptionState {
  if (!exception.expires) return 'active';
  const until = parseExpiry(exception.expires);
  return now.getTime() <= until ? 'active' : 'expired';
}

/** Milliseconds since the epoch at which the exception stops; NaN-safe: an unparseable date throws. */
export function parseExpiry(expires: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(expires);
  const ms = Date.parse(dateOnly ? `${expires}T23:59:59.999Z` : expires);
  if (Number.isNaN(ms))
    throw new UserInputError('expires', `invalid expiry date "${expires}" (use YYYY-MM-DD)`);
  return ms;
}
