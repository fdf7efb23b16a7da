import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { bodyRefusal, jsonBodiesOnly } from '../../net/json-body.js';
import {
  capConnections,
  DEFAULT_SERVER_LIMITS,
  fastifyLimitOptions,
  type ServerLimits,
} from '../../net/server-limits.js';
import { httpsServerOptions, readTlsFiles, tlsFiles } from '../../net/tls-profile.js';
import type { RuntimeEvent } from '../event.js';
import { auditEvent, auditItems } from '../sources/k8s-audit.js';

export interface WebhookOptions {
  /** Bearer token the API server's webhook kubeconfig sends. */
  token?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** CA that signs client certificates (mutual TLS instead of, or besides, a token). */
  clientCa?: string;
  cluster?: string;
  /** Largest accepted request body. */
  bodyLimit?: number;
  /** Time and connection limits (src/net/server-limits.ts); the defaults when absent. */
  limits?: Partial<ServerLimits>;
}

const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * The Kubernetes audit webhook backend receiver: `POST /k8s-audit` with an EventList (or one Event).
 * HTTPS when a certificate is given; requests need the bearer token and/or a client certificate.
 */
export async function buildAuditWebhook(
  emit: (e: RuntimeEvent) => void,
  options: WebhookOptions,
): Promise<FastifyInstance> {
  const files = tlsFiles(options.tlsCert, options.tlsKey);
  const limits = fastifyLimitOptions({ ...DEFAULT_SERVER_LIMITS, ...options.limits });
  const https = files
    ? httpsServerOptions(readTlsFiles(files), {
        ...(options.clientCa
          ? { ca: readFileSync(options.clientCa), requestCert: true, rejectUnauthorized: false }
          : {}),
      })
    : null;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    ...(https ? { https: { ...https, ...limits.server } } : { http: limits.server }),
  }) as unknown as FastifyInstance;
  capConnections(app.server, { ...DEFAULT_SERVER_LIMITS, ...options.limits });
  // JSON bodies only; a refused body answers its stable code (net/json-body.ts) in this receiver's shape
  jsonBodiesOnly(app);
  app.setErrorHandler((error: { code?: string; message: string; statusCode?: number }, _req, reply) => {
    const refused = bodyRefusal(error, options.bodyLimit ?? DEFAULT_BODY_LIMIT);
    if (refused) return reply.code(refused.status).send({ error: refused.message, code: refused.code });
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ error: status === 500 ? 'internal error' : error.message.split('\n')[0] });
  });
  const token = options.token ? Buffer.from(options.token) : undefined;
  app.addHook('onRequest', async (req, reply) => {
    const socket = req.raw.socket as { authorized?: boolean };
    const certOk = options.clientCa ? socket.authorized === true : false;
    let tokenOk = false;
    if (token) {
      const header = req.headers.authorization ?? '';
      const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
      tokenOk = given.length === token.length && timingSafeEqual(given, token);
    }
    if (!certOk && !tokenOk) return reply.code(401).send({ error: 'unauthorized' });
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.post('/k8s-audit', async (req, reply) => {
    let items: ReturnType<typeof auditItems>;
    try {
      items = auditItems(req.body, 'request body');
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    for (const item of items) emit(auditEvent(item, options.cluster));
    return { accepted: items.length };
  });
  return app;
}
