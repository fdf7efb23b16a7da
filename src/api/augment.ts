import type { Center, Permission, Principal } from '../center/index.js';

/** Who may call a route: a permission of center/principal.ts, or `public` (login, session). */
export type RoutePermission = Permission | 'public';

declare module 'fastify' {
  interface FastifyInstance {
    center: Center;
  }
  interface FastifyRequest {
    /** Set by plugins/auth.ts before validation when the request carries valid credentials. */
    principal: Principal | null;
    /** The session cookie's value when the request authenticated with it. */
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    permission?: RoutePermission;
    /** A public route that still needs the CSRF token when called with a session cookie (logout). */
    csrf?: boolean;
  }
}
