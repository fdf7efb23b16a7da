import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CenterError, type CenterErrorCode } from '../../center/index.js';
import { bodyRefusal } from '../../net/json-body.js';

/** The one table of error code → HTTP status (docs/api.md lists the codes). */
export const ERROR_STATUS: Record<CenterErrorCode, number> = {
  BULKHEAD_ERR_UNAUTHENTICATED: 401,
  BULKHEAD_ERR_FORBIDDEN: 403,
  BULKHEAD_ERR_SCOPE_FORBIDDEN: 403,
  BULKHEAD_ERR_CSRF: 403,
  BULKHEAD_ERR_VALIDATION: 400,
  BULKHEAD_ERR_REPORT_KIND_UNKNOWN: 400,
  BULKHEAD_ERR_REPORT_INVALID: 400,
  BULKHEAD_ERR_BODY_TOO_LARGE: 413,
  BULKHEAD_ERR_BODY_MALFORMED: 400,
  BULKHEAD_ERR_MEDIA_TYPE: 415,
  BULKHEAD_ERR_RESOURCE_NOT_FOUND: 404,
  BULKHEAD_ERR_REPORT_NOT_FOUND: 404,
  BULKHEAD_ERR_EXCEPTION_NOT_FOUND: 404,
  BULKHEAD_ERR_ALERT_NOT_FOUND: 404,
  BULKHEAD_ERR_TOKEN_NOT_FOUND: 404,
  BULKHEAD_ERR_USER_NOT_FOUND: 404,
  BULKHEAD_ERR_USER_EXISTS: 409,
  BULKHEAD_ERR_LAST_ADMIN: 409,
  BULKHEAD_ERR_LOGIN_FAILED: 401,
  BULKHEAD_ERR_RATE_LIMITED: 429,
  BULKHEAD_ERR_APPROVAL_REQUIRED: 409,
  BULKHEAD_ERR_CURSOR_INVALID: 400,
  BULKHEAD_ERR_NOT_FOUND: 404,
  BULKHEAD_ERR_INTERNAL: 500,
};

export function apiError(code: CenterErrorCode, message: string, requestId?: string) {
  return { error: { code, message: oneLine(message), ...(requestId ? { requestId } : {}) } };
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Messages quote what the client sent (a resource key, a report kind, a field name): its control characters are
 * escaped so that a message stays one line and a client cannot forge lines in a script's or terminal's output.
 */
function oneLine(message: string): string {
  let out = '';
  for (const ch of message) {
    const code = ch.codePointAt(0)!;
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    out += control ? (ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`) : ch;
  }
  return out;
}

/**
 * Every error leaves as `{error: {code, message}}`. Known errors keep their one-line message; anything else is a
 * 500 whose detail goes to the log only, the answer naming the request id to find it.
 */
export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof CenterError) {
      return reply.code(ERROR_STATUS[error.code]).send(apiError(error.code, error.message));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const first = error.validation[0];
      const field = first ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
      return reply
        .code(400)
        .send(apiError('BULKHEAD_ERR_VALIDATION', `${field}: ${first?.message ?? 'invalid'}`));
    }
    // a body refused before any handler: the codes every server of the project gives (net/json-body.ts)
    const refused = bodyRefusal(error);
    if (refused) return reply.code(refused.status).send(apiError(refused.code, refused.message));
    if (error.statusCode === 429) {
      return reply.code(429).send(apiError('BULKHEAD_ERR_RATE_LIMITED', 'too many attempts; wait a minute'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(400).send(apiError('BULKHEAD_ERR_VALIDATION', firstLine(error.message)));
    }
    request.log.error({ err: error }, 'internal error');
    return reply.code(500).send(apiError('BULKHEAD_ERR_INTERNAL', internalMessage(request.id), request.id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(apiError('BULKHEAD_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

function internalMessage(requestId: string): string {
  return `internal error; the server log has the detail under request ${requestId}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
