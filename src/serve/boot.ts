import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../api/app.js';
import type { ServeConfig } from '../center/config.js';
import { createCenter } from '../center/create-center.js';
import type { Center } from '../center/index.js';
import { errorMessage } from '../core/errors.js';
import { listenAt } from '../net/listen.js';
import type { ServerLimits } from '../net/server-limits.js';
import { readTlsFiles, tlsFiles } from '../net/tls-profile.js';
import { openStore, type Store } from '../store/index.js';
import { type Housekeeping, startHousekeeping } from './housekeeping.js';

export interface BootOptions {
  home: string;
  config: ServeConfig;
  /** The time now; tests move it. */
  clock?: () => Date;
  /** One line for people (where the server listens, the first admin's password file). */
  notice?: (message: string) => void;
  logger?: FastifyServerOptions['logger'];
  /** Time and connection limits of the HTTP server (tests shorten them); the shared defaults otherwise. */
  limits?: Partial<ServerLimits>;
  /** How the user gave the host and port (`--host`, `BULKHEAD_PORT`, `<home>/config.yaml: port`), for errors. */
  inputs?: { host?: string; port?: string };
}

export interface Server {
  /** `http(s)://host:port` it listens on. */
  url: string;
  center: Center;
  /** Stop accepting, let in-flight requests finish, then undo the start steps in reverse order. */
  close(): Promise<void>;
}

interface Running {
  store?: Store;
  center?: Center;
  app?: FastifyInstance;
  url?: string;
  housekeeping?: Housekeeping;
}

/** A start step and how to undo it; steps run in order and, on stop or failure, their teardowns in reverse. */
interface Step {
  name: string;
  start(state: Running): Promise<void>;
  stop?(state: Running): Promise<void>;
}

export const INITIAL_ADMIN_FILE = 'initial-admin-password';

/**
 * The composition root of `bulkhead serve`: open and migrate the store, start the housekeeping (exception expiry,
 * score snapshots), listen, then create the first admin. Workers and the scheduler join these steps in their
 * own issues.
 */
export async function boot(options: BootOptions): Promise<Server> {
  const { config, home } = options;
  const clock = options.clock ?? (() => new Date());
  const notice = options.notice ?? (() => {});
  const steps: Step[] = [
    {
      name: 'store',
      start: async (s) => {
        s.store = await openStore({ url: config.database, home, backgroundCheckpoint: true, warn: notice });
        s.center = createCenter(
          { store: s.store, clock },
          { sessionTtlMs: config.sessionTtl * 1000, requireApproval: config.requireApproval },
        );
      },
      stop: async (s) => s.store?.close(),
    },
    {
      name: 'housekeeping',
      start: async (s) => {
        s.housekeeping = await startHousekeeping(s.center!, (what, error) =>
          notice(`bulkhead serve: ${what} failed: ${errorMessage(error)}`),
        );
      },
      stop: async (s) => s.housekeeping?.stop(),
    },
    {
      name: 'http',
      start: async (s) => {
        const https = tls(config);
        s.app = await buildApp(s.center!, {
          logger: options.logger ?? false,
          bodyLimit: config.bodyLimit,
          reportBodyLimit: config.reportBodyLimit,
          loginRateLimit: config.loginRateLimit,
          secureCookies: https !== undefined,
          ...(options.limits ? { limits: options.limits } : {}),
          ...(https ? { https } : {}),
        });
        await listenAt(s.app, {
          host: config.host,
          port: config.port,
          hostInput: options.inputs?.host ?? '--host',
          portInput: options.inputs?.port ?? '--port',
        });
        const address = s.app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        const host = config.host.includes(':') ? `[${config.host}]` : config.host;
        s.url = `${https ? 'https' : 'http'}://${host}:${port}`;
      },
      stop: async (s) => stopHttp(s.app!),
    },
    // after listening: a serve that cannot listen creates no admin and says only why it could not
    {
      name: 'first admin',
      start: async (s) => {
        const admin = await s.center!.access.users.ensureInitialAdmin();
        if (!admin) return;
        const file = join(home, INITIAL_ADMIN_FILE);
        writeFileSync(file, `${admin.password}\n`, { mode: 0o600 });
        chmodSync(file, 0o600);
        notice(`bulkhead serve: created user admin; its password is in ${file}`);
      },
    },
  ];
  const state: Running = {};
  const started: Step[] = [];
  const teardown = async () => {
    for (const step of started.reverse()) await step.stop?.(state);
  };
  try {
    for (const step of steps) {
      await step.start(state);
      started.push(step);
    }
  } catch (error) {
    await teardown().catch(() => {});
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: state.url!,
    center: state.center!,
    close: () => {
      closing ??= teardown();
      return closing;
    },
  };
}

/** How long in-flight requests get to finish once stopping; then their connections are cut. */
const GRACE_MS = 30_000;

/**
 * Stop accepting and wait for in-flight requests. A keep-alive connection that turns idle after its last answer
 * would hold the close open, so idle connections are closed as they appear; after the grace period, all are.
 */
async function stopHttp(app: FastifyInstance): Promise<void> {
  const closed = app.close();
  const idle = setInterval(() => app.server.closeIdleConnections(), 50);
  const grace = setTimeout(() => app.server.closeAllConnections(), GRACE_MS);
  try {
    await closed;
  } finally {
    clearInterval(idle);
    clearTimeout(grace);
  }
}

function tls(config: ServeConfig): { cert: Buffer; key: Buffer } | undefined {
  const files = tlsFiles(config.tlsCert, config.tlsKey);
  return files ? readTlsFiles(files) : undefined;
}
