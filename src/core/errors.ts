/**
 * Errors the whole product shares. The CLI maps them to exit codes:
 * UserInputError and ExternalServiceError (a service the input names is unreachable or answers badly) -> one line
 * naming the input, exit 2; anything else -> exit 3.
 */

/** Bad input from the user: a file, flag, reference or document that cannot be used as given. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  /** What the input was: a path, a flag, a URL (with any secret removed), an image reference. */
  readonly input: string;

  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(`${input}: ${message}`, options);
    this.input = input;
  }
}

/** A service outside the process answered badly. `retryable` for 429 and 5xx answers. */
export class ExternalServiceError extends Error {
  override readonly name = 'ExternalServiceError';
  readonly service: string;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(service: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(`${service}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.service = service;
    this.status = options?.status;
    this.retryable = options?.status === undefined || options.status === 429 || options.status >= 500;
  }
}

/** A fault of Bulkhead itself: an invariant broken. Exit 3. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export function isUserInputError(error: unknown): error is UserInputError {
  return error instanceof UserInputError;
}

/** The message of any thrown value, never undefined. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Remove the password (and any token-like query parameter) from a URL before it is shown or logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
