import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../../plugins/auth.js';
import { ApiError } from '../../../schemas.js';
import { Login, Session } from './schema.js';

const tags = ['session'];

export interface SessionRouteOptions {
  /** Cookies get `Secure` (the server speaks HTTPS). */
  secureCookies: boolean;
  /** Login attempts per minute for one address and user name. */
  loginRateLimit: number;
}

/** The dashboard's login: a cookie (HttpOnly, SameSite=Strict, Secure with TLS) and its CSRF token. */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, options) => {
  const cookie = { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookies } as const;
  app.get('/session', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Who is logged in', response: { 200: Session, 400: ApiError } },
    handler: (req) => app.center.access.currentSession(req.sessionId ?? undefined),
  });
  app.post('/session', {
    config: {
      permission: 'public',
      rateLimit: {
        max: options.loginRateLimit,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (req) => `${req.ip}|${(req.body as { name?: string } | undefined)?.name ?? ''}`,
      },
    },
    schema: {
      tags,
      summary: 'Log in',
      body: Login,
      response: { 200: Session, 400: ApiError, 401: ApiError, 429: ApiError },
    },
    handler: async (req, reply) => {
      const login = await app.center.access.login(req.body.name, req.body.password);
      reply.setCookie(SESSION_COOKIE, login.sessionId, { ...cookie, expires: new Date(login.expiresAt) });
      return { user: login.user, csrfToken: login.csrfToken, expiresAt: login.expiresAt };
    },
  });
  app.delete('/session', {
    config: { permission: 'public', csrf: true },
    schema: { tags, summary: 'Log out', response: { 204: z.null(), 400: ApiError, 403: ApiError } },
    handler: async (req, reply) => {
      if (req.sessionId) await app.center.access.logout(req.sessionId);
      reply.clearCookie(SESSION_COOKIE, cookie);
      return reply.code(204).send(null);
    },
  });
};
