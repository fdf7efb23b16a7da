/**
 * Errors the center's services throw. The code is stable (scripts match on it) and documented in docs/api.md;
 * api/ maps each code to an HTTP status in one table. Messages are one line and never carry a secret.
 */
export const CENTER_ERROR_CODES = [
  'BULKHEAD_ERR_UNAUTHENTICATED',
  'BULKHEAD_ERR_FORBIDDEN',
  'BULKHEAD_ERR_SCOPE_FORBIDDEN',
  'BULKHEAD_ERR_CSRF',
  'BULKHEAD_ERR_VALIDATION',
  'BULKHEAD_ERR_REPORT_KIND_UNKNOWN',
  'BULKHEAD_ERR_REPORT_INVALID',
  'BULKHEAD_ERR_BODY_TOO_LARGE',
  'BULKHEAD_ERR_BODY_MALFORMED',
  'BULKHEAD_ERR_MEDIA_TYPE',
  'BULKHEAD_ERR_RESOURCE_NOT_FOUND',
  'BULKHEAD_ERR_REPORT_NOT_FOUND',
  'BULKHEAD_ERR_EXCEPTION_NOT_FOUND',
  'BULKHEAD_ERR_ALERT_NOT_FOUND',
  'BULKHEAD_ERR_TOKEN_NOT_FOUND',
  'BULKHEAD_ERR_USER_NOT_FOUND',
  'BULKHEAD_ERR_USER_EXISTS',
  'BULKHEAD_ERR_LAST_ADMIN',
  'BULKHEAD_ERR_LOGIN_FAILED',
  'BULKHEAD_ERR_RATE_LIMITED',
  'BULKHEAD_ERR_APPROVAL_REQUIRED',
  'BULKHEAD_ERR_CURSOR_INVALID',
  'BULKHEAD_ERR_NOT_FOUND',
  'BULKHEAD_ERR_INTERNAL',
] as const;
export type CenterErrorCode = (typeof CENTER_ERROR_CODES)[number];

export class CenterError extends Error {
  constructor(
    readonly code: CenterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CenterError';
  }
}
