import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Center } from '../center/index.js';
import { jsonBodiesOnly } from '../net/json-body.js';
import {
  capConnections,
  DEFAULT_SERVER_LIMITS,
  fastifyLimitOptions,
  type ServerLimits,
} from '../net/server-limits.js';
import { httpsServerOptions } from '../net/tls-profile.js';
import './augment.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrors } from './plugins/errors.js';
import { registerHealth } from './plugins/health.js';
import { registerInputShape } from './plugins/input-shape.js';
import { registerOpenApi } from './plugins/openapi.js';
import { V1_ROUTES } from './routes/v1/index.js';
import { serializerCompiler } from './serializer.js';

export interface AppOptions {
  /** Fastify's logger option (tests pass a stream to read what is logged). Default: no logging. */
  logger?: FastifyServerOptions['logger'];
  /** Largest request body, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Largest pushed report, bytes. Default 32 MiB. */
  reportBodyLimit?: number;
  /** Session cookies get `Secure`: set when serving HTTPS. */
  secureCookies?: boolean;
  /** Login attempts per minute for one address and user name. Default 10. */
  loginRateLimit?: number;
  /** The certificate and key: HTTPS with the one TLS profile (src/net/tls-profile.ts). */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Time and connection limits; the defaults of src/net/server-limits.ts when absent. */
  limits?: Partial<ServerLimits>;
  /** Called for every route as it is added (the route-walk test reads them). */
  onRoute?: (route: RouteOptions) => void;
}

const MiB = 1024 * 1024;

/**
 * The HTTP layer over the center: plugins in a fixed order (errors, validation, cookies, rate limit, health and
 * metrics, OpenAPI, then /api/v1 behind authentication and the input shape check). Never listens; serve/boot.ts does.
 */
export async function buildApp(center: Center, options: AppOptions = {}): Promise<FastifyInstance> {
  const serverLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const limits = fastifyLimitOptions(serverLimits);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? MiB,
    ...(options.https
      ? { https: { ...httpsServerOptions(options.https), ...limits.server } }
      : { http: limits.server }),
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    // request ids in logs and 500 answers; counters are enough here (no client-supplied ids)
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    // on close, idle keep-alive connections are closed; in-flight requests finish first
    forceCloseConnections: 'idle',
  } as FastifyServerOptions).withTypeProvider<ZodTypeProvider>();
  capConnections(app.server, serverLimits);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.decorate('center', center);
  registerErrors(app);
  jsonBodiesOnly(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      Object.assign(new Error(`too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`), {
        statusCode: 429,
      }),
  });
  registerHealth(app);
  await registerOpenApi(app);
  await app.register(
    async (api) => {
      registerAuth(api);
      registerInputShape(api);
      for (const { plugin } of V1_ROUTES) {
        await api.register(plugin, {
          reportBodyLimit: options.reportBodyLimit ?? 32 * MiB,
          secureCookies: options.secureCookies ?? false,
          loginRateLimit: options.loginRateLimit ?? 10,
        });
      }
    },
    { prefix: '/api/v1' },
  );
  return app;
}
