import type { Server } from 'node:http';

/**
 * Time and connection limits every server Bulkhead runs applies, so a slow or idle client cannot hold sockets
 * open: the request head must arrive within `headersTimeoutMs`, the whole request within `requestTimeoutMs`, an
 * idle keep-alive connection closes after `keepAliveTimeoutMs`, and at most `maxConnections` are open at once.
 */
export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};

/**
 * The limits as Fastify server options (its own `requestTimeout` and `keepAliveTimeout`, and the Node server's
 * `headersTimeout` under `http`/`https`). Node checks these timeouts on an interval (30 s by default): a fraction
 * of the shortest one instead, so a limit holds to within a quarter of itself.
 */
export function fastifyLimitOptions(limits: ServerLimits): {
  requestTimeout: number;
  keepAliveTimeout: number;
  server: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    server: {
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
  };
}

/** The connection cap, set on the listening server (Node refuses sockets past it). */
export function capConnections(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
}
