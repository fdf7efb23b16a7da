import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
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
}

/**
 * The Kubernetes audit webhook backend receiver: `POST /k8s-audit` with an EventList (or one Event).
 * HTTPS when a certificate is given; requests need the bearer token and/or a client certificate.
 */
export async function buildAuditWebhook(
  emit: (e: RuntimeEvent) => void,
  options: WebhookOptions,
): Promise<FastifyInstance> {
  const https =
    options.tlsCert && options.tlsKey
      ? {
          cert: readFileSync(options.tlsCert),
          key: readFileSync(options.tlsKey),
          ...(options.clientCa
            ? { ca: readFileSync(options.clientCa), requestCert: true, rejectUnauthorized: false }
            : {}),
        }
      : null;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;
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
