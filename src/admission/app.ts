import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { KubeObject } from '../hardening/kubernetes/objects/types.js';
import { type BodyRefusalCode, bodyRefusal } from '../net/json-body.js';
import { capConnections, DEFAULT_SERVER_LIMITS, fastifyLimitOptions } from '../net/server-limits.js';
import { httpsServerOptions } from '../net/tls-profile.js';
import { type Decision, decide } from './decide.js';
import { AdmissionMetrics } from './metrics.js';
import { type Mutation, mutate } from './mutate.js';
import { type ParsedReview, parseReview, ReviewError } from './review.js';
import type { AdmissionPolicy } from './types.js';
import type { VulnerabilityIndex } from './vulnerabilities.js';

export const FAILURE_POLICIES = ['Ignore', 'Fail'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

export interface AdmissionAppOptions {
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP without (tests through inject()). */
  tls?: { cert: Buffer | string; key: Buffer | string };
  policy: AdmissionPolicy;
  /** Largest body accepted, in bytes (default 3 MiB: an object and its oldObject at etcd's size limit). */
  bodyLimit?: number;
  /** Time allowed to receive a request, below the webhook's timeoutSeconds (default 2500 ms of 3 s). */
  timeoutMs?: number;
  /** What the answer is when deciding itself fails: allow (Ignore, default) or deny (Fail). */
  failurePolicy?: FailurePolicy;
  /** Stored image scans for the vulnerability gate; read on every request, refreshed by the caller. */
  vulnerabilities?: () => VulnerabilityIndex | undefined;
  /**
   * The cluster's Namespaces (a NamespaceCache): a namespaced request is decided with its Namespace object when
   * the cache has it, without when not (counted in /metrics). Only read, never waited on.
   */
  namespaces?: { lookup(name: string): KubeObject | undefined; readonly size: number; refreshErrors: number };
  onDecision?: (decision: Decision, ms: number) => void;
  /** One answer of POST /mutate (after it was sent): logged, not recorded. */
  onMutation?: (mutation: Mutation, ms: number) => void;
  onError?: (error: Error) => void;
}

/** The webhook application, built but not listening. */
export interface AdmissionApp {
  app: FastifyInstance;
  metrics: AdmissionMetrics;
  /** /readyz answers ready only after this (set once listening, cleared when closing). */
  setReady(ready: boolean): void;
}

export const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 2500;

/** The metrics reason of each body refusal (bulkhead_admission_rejected_requests_total{reason}). */
const REFUSAL_REASON: Readonly<Record<BodyRefusalCode, string>> = {
  BULKHEAD_ERR_BODY_TOO_LARGE: 'too-large',
  BULKHEAD_ERR_MEDIA_TYPE: 'media-type',
  BULKHEAD_ERR_BODY_MALFORMED: 'malformed',
};

/**
 * The validating webhook as a Fastify application that never listens (`listen` is the caller's, as in
 * runtime/live/webhook.ts): POST /validate takes an AdmissionReview and answers the same version, POST /mutate
 * answers it with the policy's changes as a JSONPatch; /healthz and
 * /readyz for probes, /metrics for Prometheus. A body that is not a usable AdmissionReview gets 400 (413 when too
 * large) and a clear message. Test it with `app.inject()`.
 */
export function buildAdmissionApp(options: AdmissionAppOptions): AdmissionApp {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The API server keeps connections open between requests: idle keep-alive is not a slow request.
  const serverLimits = {
    ...DEFAULT_SERVER_LIMITS,
    headersTimeoutMs: timeout,
    requestTimeoutMs: timeout,
    keepAliveTimeoutMs: 65_000,
  };
  const limits = fastifyLimitOptions(serverLimits);
  const failOpen = (options.failurePolicy ?? 'Ignore') === 'Ignore';
  const metrics = new AdmissionMetrics();
  const namespaces = options.namespaces;
  if (namespaces)
    metrics.namespaceCache = () => ({ size: namespaces.size, refreshErrors: namespaces.refreshErrors });
  const app: FastifyInstance = Fastify({
    // the one TLS profile; Node checks request timeouts on an interval (default 30 s): a fraction of ours instead
    ...(options.tls
      ? { https: { ...httpsServerOptions(options.tls), ...limits.server } }
      : { http: limits.server }),
    bodyLimit: limit,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    logger: false,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  capConnections(app.server, serverLimits);
  let ready = false;
  app.removeAllContentTypeParsers();
  // Bytes in: UTF-8 and JSON are checked by parseReview, so every bad body gets the same clear 400. JSON only: any
  // other content type is refused with 415 (net/json-body.ts).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { code?: string; message: string; statusCode?: number }, _req, reply) => {
    const refused = bodyRefusal(error, limit);
    if (refused) {
      metrics.reject(REFUSAL_REASON[refused.code]);
      return reply
        .code(refused.status)
        .send({ code: refused.code, message: `bad request: ${refused.message}` });
    }
    options.onError?.(error as Error);
    return reply.code(500).send({ message: 'internal error' });
  });
  /** The AdmissionReview of a body, or undefined once a 400 was sent. */
  const reviewOf = (req: FastifyRequest, reply: FastifyReply): ParsedReview | undefined => {
    try {
      return parseReview((req.body as Buffer | undefined) ?? '');
    } catch (error) {
      if (error instanceof ReviewError) {
        metrics.reject('malformed');
        void reply.code(400).send({ message: `bad request: ${error.message}` });
        return undefined;
      }
      throw error;
    }
  };
  /** The request's Namespace object from the cache (counted), for a namespaced request. */
  const namespaceOf = (review: ParsedReview): KubeObject | undefined => {
    if (!namespaces || !review.namespace || review.kind === 'v1/Namespace') return undefined;
    const found = namespaces.lookup(review.namespace);
    metrics.namespaceLookup(found !== undefined);
    return found;
  };
  /** A check that failed itself: answer as the failure policy says, and say why. */
  const failed = (review: ParsedReview, error: unknown) => {
    options.onError?.(error as Error);
    metrics.reject('internal');
    const message = `bulkhead admission failed: ${(error as Error).message}`.slice(0, 200);
    return {
      apiVersion: review.apiVersion,
      kind: 'AdmissionReview',
      response: failOpen
        ? { uid: review.uid, allowed: true, warnings: [message] }
        : { uid: review.uid, allowed: false, status: { code: 500, reason: 'InternalError', message } },
    };
  };
  app.post('/validate', async (req, reply) => {
    const started = performance.now();
    const review = reviewOf(req, reply);
    if (!review) return reply;
    let decision: Decision;
    try {
      const vulnerabilities = options.vulnerabilities?.();
      const namespaceObject = namespaceOf(review);
      decision = decide(review, options.policy, {
        ...(vulnerabilities ? { vulnerabilities } : {}),
        ...(namespaceObject ? { namespaceObject } : {}),
      });
    } catch (error) {
      return reply.send(failed(review, error));
    }
    const ms = performance.now() - started;
    metrics.observe(decision, ms / 1000);
    options.onDecision?.(decision, ms);
    return reply.send(decision.review);
  });
  // The mutating webhook: the API server calls it before the validating one, which then sees the patched object.
  app.post('/mutate', async (req, reply) => {
    const started = performance.now();
    const review = reviewOf(req, reply);
    if (!review) return reply;
    let mutation: Mutation;
    try {
      const namespaceObject = namespaceOf(review);
      mutation = mutate(review, options.policy, namespaceObject ? { namespaceObject } : {});
    } catch (error) {
      return reply.send(failed(review, error));
    }
    const ms = performance.now() - started;
    metrics.observeMutation(mutation, ms / 1000);
    options.onMutation?.(mutation, ms);
    return reply.send(mutation.review);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
  );
  app.get('/metrics', async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.text()),
  );

  return {
    app,
    metrics,
    setReady: (value) => {
      ready = value;
    },
  };
}
