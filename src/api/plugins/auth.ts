import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CenterError, can } from '../../center/index.js';

export const SESSION_COOKIE = 'bulkhead_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking, before anything else about the request is looked at: an `Authorization: Bearer` token, else the
 * session cookie. Runs in onRequest, so a forbidden write is 403 whatever its body (the body is not even read).
 * Each route names its permission in `config.permission`; cookie-authenticated writes also need the CSRF token
 * (a token bound to the session, sent back in the `x-csrf-token` header). Token requests need none: a browser
 * never sends a bearer token on its own.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request, reply) => authenticate(app, request, reply));
}

async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  _reply: FastifyReply,
): Promise<void> {
  const config = request.routeOptions.config;
  const permission = config.permission;
  if (permission === undefined) return; // not an API route (health, docs, 404)
  const header = request.headers.authorization;
  let viaSession = false;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    request.principal = match ? await app.center.access.authenticate({ bearer: match[1]! }) : null;
    if (!request.principal) {
      throw new CenterError('BULKHEAD_ERR_UNAUTHENTICATED', 'the token is unknown, revoked or expired');
    }
  } else {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) {
      request.principal = await app.center.access.authenticate({ sessionId });
      if (request.principal) {
        request.sessionId = sessionId;
        viaSession = true;
      }
    }
  }
  const needsCsrf =
    viaSession && !SAFE_METHODS.has(request.method) && (permission !== 'public' || config.csrf);
  if (needsCsrf) {
    const token = request.headers[CSRF_HEADER];
    const ok = typeof token === 'string' && app.center.access.checkCsrf(request.sessionId!, token);
    if (!ok) throw new CenterError('BULKHEAD_ERR_CSRF', `missing or wrong ${CSRF_HEADER} header`);
  }
  if (permission === 'public') return;
  if (!request.principal) {
    throw new CenterError('BULKHEAD_ERR_UNAUTHENTICATED', 'log in or send Authorization: Bearer <token>');
  }
  if (!can(request.principal, permission)) {
    throw new CenterError('BULKHEAD_ERR_FORBIDDEN', `the ${request.principal.role} role cannot do this`);
  }
}
