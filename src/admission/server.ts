import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Decision, decide } from './decide.js';
import type { AdmissionPolicy } from './policy.js';
import { parseReview, ReviewError } from './review.js';

export interface ServeOptions {
  policy: AdmissionPolicy;
  port: number;
  /** Default 127.0.0.1; in a cluster, 0.0.0.0 behind the Service. */
  address?: string;
  tlsCert: string;
  tlsKey: string;
  /** Largest body accepted, in bytes (default 3 MiB: an object and its oldObject at etcd's size limit). */
  bodyLimit?: number;
  onDecision?: (decision: Decision, ms: number) => void;
  onError?: (error: Error) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

/** Fastify's own codes for bodies it refuses before the handler runs, as one-line reasons. */
function bodyProblem(error: { code?: string; message: string }, limit: number): string | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body larger than the limit of ${limit} bytes`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'content-type must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.message;
    default:
      return undefined;
  }
}

/**
 * The validating webhook over HTTPS: POST /validate takes an AdmissionReview and answers the same version;
 * /healthz and /readyz for probes. A body that is not a usable AdmissionReview gets 400 and a clear message;
 * the process keeps serving.
 */
export async function startAdmissionServer(options: ServeOptions): Promise<RunningServer> {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app: FastifyInstance = Fastify({
    https: { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) },
    bodyLimit: limit,
    logger: false,
  });
  let ready = false;
  app.removeAllContentTypeParsers();
  // Bytes in: UTF-8 and JSON are checked by parseReview, so every bad body gets the same clear 400.
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((error: { code?: string; message: string; statusCode?: number }, _req, reply) => {
    const problem = bodyProblem(error, limit);
    if (problem) return reply.code(400).send({ message: `bad request: ${problem}` });
    options.onError?.(error as Error);
    return reply.code(500).send({ message: 'internal error' });
  });
  app.post('/validate', async (req, reply) => {
    const started = performance.now();
    let review: ReturnType<typeof parseReview>;
    try {
      review = parseReview((req.body as Buffer | undefined) ?? '');
    } catch (error) {
      if (error instanceof ReviewError)
        return reply.code(400).send({ message: `bad request: ${error.message}` });
      throw error;
    }
    const decision = decide(review, options.policy);
    options.onDecision?.(decision, performance.now() - started);
    return reply.send(decision.review);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
  );
  await app.listen({ port: options.port, host: options.address ?? '127.0.0.1' });
  ready = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `https://${options.address ?? '127.0.0.1'}:${port}`,
    port,
    close: async () => {
      ready = false;
      await app.close();
    },
  };
}
