import type { FastifyInstance } from 'fastify';

/** The stable codes of a body refused before any handler saw it; the same on every server of the project. */
export type BodyRefusalCode =
  | 'BULKHEAD_ERR_MEDIA_TYPE'
  | 'BULKHEAD_ERR_BODY_TOO_LARGE'
  | 'BULKHEAD_ERR_BODY_MALFORMED';

export interface BodyRefusal {
  status: 415 | 413 | 400;
  code: BodyRefusalCode;
  message: string;
}

/**
 * Fastify's own refusals of a request body (its content type, size, JSON), as status, stable code and a one-line
 * message; undefined for any other error.
 */
export function bodyRefusal(
  error: { code?: string; message: string },
  limit?: number,
): BodyRefusal | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return {
        status: 415,
        code: 'BULKHEAD_ERR_MEDIA_TYPE',
        message: 'content-type must be application/json',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'BULKHEAD_ERR_BODY_TOO_LARGE',
        message:
          limit === undefined ? 'body larger than the limit' : `body larger than the limit of ${limit} bytes`,
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'BULKHEAD_ERR_BODY_MALFORMED',
        message: error.message.split('\n')[0] ?? '',
      };
    default:
      return undefined;
  }
}

/**
 * Bodies are JSON or refused with 415 (bodyRefusal): Fastify also parses `text/plain` by default, which handed a
 * string to handlers that expect a document and answered 400 for what is a wrong content type.
 */
export function jsonBodiesOnly(app: FastifyInstance): void {
  if (app.hasContentTypeParser('text/plain')) app.removeContentTypeParser('text/plain');
}
