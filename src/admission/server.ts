import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server } from 'node:https';
import { listenAt } from '../net/listen.js';
import { httpsServerOptions } from '../net/tls-profile.js';
import { type AdmissionAppOptions, buildAdmissionApp } from './app.js';
import type { AdmissionMetrics } from './metrics.js';

export {
  DEFAULT_BODY_LIMIT,
  DEFAULT_TIMEOUT_MS,
  FAILURE_POLICIES,
  type FailurePolicy,
} from './app.js';

export interface ServeOptions extends Omit<AdmissionAppOptions, 'tls'> {
  port: number;
  /** Default 127.0.0.1; in a cluster, 0.0.0.0 behind the Service. */
  address?: string;
  tlsCert: string;
  tlsKey: string;
  /** How often the certificate files are checked for a change (ms); 0 = never. Default 2000. */
  tlsPollMs?: number;
  /** Told when the certificate was reloaded, or why a reload was refused (the old one stays). */
  onTlsReload?: (error?: Error) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  metrics: AdmissionMetrics;
  /** Re-read the certificate and key now (also done on file change). */
  reloadTls(): void;
  close(): Promise<void>;
}

/**
 * The validating webhook over HTTPS: buildAdmissionApp, then listen. The certificate files are watched and
 * reloaded in place when they change (cert-manager and Secret volume updates).
 */
export async function startAdmissionServer(options: ServeOptions): Promise<RunningServer> {
  const { app, metrics, setReady } = buildAdmissionApp({
    ...options,
    tls: { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) },
  });
  const reloadTls = () => {
    try {
      const cert = readFileSync(options.tlsCert);
      const key = readFileSync(options.tlsKey);
      // a new context is built from these options alone: the profile goes with the new pair
      (app.server as Server).setSecureContext(httpsServerOptions({ cert, key }));
      metrics.tlsReloads += 1;
      options.onTlsReload?.();
    } catch (error) {
      // Mid-rotation (new cert, old key) or unreadable: keep serving with the previous pair.
      options.onTlsReload?.(error as Error);
    }
  };
  const poll = { interval: options.tlsPollMs ?? 2000, persistent: false };
  const changed = (cur: { mtimeMs: number }, prev: { mtimeMs: number }) => {
    if (cur.mtimeMs !== prev.mtimeMs) reloadTls();
  };
  if (poll.interval > 0) {
    watchFile(options.tlsCert, poll, changed);
    watchFile(options.tlsKey, poll, changed);
  }

  try {
    await listenAt(app, {
      host: options.address ?? '127.0.0.1',
      port: options.port,
      hostInput: '--address',
      portInput: '--port',
    });
  } catch (error) {
    unwatchFile(options.tlsCert, changed);
    unwatchFile(options.tlsKey, changed);
    throw error;
  }
  setReady(true);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.address && options.address !== '0.0.0.0' ? options.address : '127.0.0.1';
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    metrics,
    reloadTls,
    close: async () => {
      setReady(false);
      unwatchFile(options.tlsCert, changed);
      unwatchFile(options.tlsKey, changed);
      await app.close();
    },
  };
}
