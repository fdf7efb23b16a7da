import type { Kysely } from 'kysely';
import { UserInputError } from '../core/errors.js';
import { saveAdmissionDecisions } from '../store/admission-decisions.js';
import type { Database } from '../store/schema.js';
import type { Decision } from './decide.js';
import type { Mutation } from './mutate.js';
import { NamespaceCache, type NamespaceSource } from './namespaces.js';
import { DecisionRecorder } from './recorder.js';
import { type RunningServer, type ServeOptions, startAdmissionServer } from './server.js';
import { storedVulnerabilityIndex, type VulnerabilityIndex } from './vulnerabilities.js';

/** Refresh the vulnerability index from the store this often, in the background. */
export const VULN_REFRESH_MS = 60_000;

export interface AdmissionBootOptions
  extends Omit<
    ServeOptions,
    'vulnerabilities' | 'namespaces' | 'onDecision' | 'onMutation' | 'onError' | 'onTlsReload'
  > {
  /** Where the cluster's Namespaces are read from (namespaceSelector, namespaceObject); none = without them. */
  namespaceSource?: NamespaceSource;
  /** Seconds between two complete lists of the Namespaces. */
  namespaceRefreshSeconds?: number;
  /** Decisions are recorded here, and the vulnerability gate reads the stored scans; the caller closes it. */
  store?: { db: Kysely<Database> };
  vulnerabilityRefreshMs?: number;
}

export interface AdmissionBootHooks {
  /** One decision (after it was answered): the CLI logs a JSON line. */
  decision?(decision: Decision, ms: number): void;
  /** One answer of the mutating webhook: the CLI logs a JSON line (mutations are not recorded in the store). */
  mutation?(mutation: Mutation, ms: number): void;
  /** Something went wrong in the background (refreshes, storing, a failing check, certificate reloads). */
  notice?(message: string): void;
}

/** A running admission webhook and everything it started. */
export interface AdmissionService {
  url: string;
  port: number;
  server: RunningServer;
  /** Namespaces cached at start (undefined without a namespace source). */
  namespaces: number | undefined;
  /** Stops in order: stop answering, then the namespace cache, the refresh timer, and the pending decisions. */
  close(): Promise<void>;
}

/**
 * Start the admission webhook with all it needs: the namespace cache, the vulnerability index (refreshed from the
 * store in the background), the decision recorder, and the HTTPS server. Errors about the TLS files and the port
 * are UserInputErrors naming them; whatever was started is stopped again before throwing.
 */
export async function bootAdmission(
  options: AdmissionBootOptions,
  hooks: AdmissionBootHooks = {},
): Promise<AdmissionService> {
  const notice = (m: string) => hooks.notice?.(m);
  const { namespaceSource, namespaceRefreshSeconds, store, vulnerabilityRefreshMs, ...serve } = options;
  const namespaces = namespaceSource
    ? new NamespaceCache({
        source: namespaceSource,
        ...(namespaceRefreshSeconds !== undefined ? { refreshSeconds: namespaceRefreshSeconds } : {}),
        onError: (e) => notice(`admission serve: namespaces not refreshed: ${e.message}`),
      })
    : undefined;
  await namespaces?.start();

  // swapped whole by the refresh; the server reads it on every request
  let vulnerabilities: VulnerabilityIndex | undefined;
  let refresh: NodeJS.Timeout | undefined;
  if (store && options.policy.vulnerabilities) {
    vulnerabilities = await storedVulnerabilityIndex(store.db);
    refresh = setInterval(() => {
      storedVulnerabilityIndex(store.db)
        .then((index) => {
          vulnerabilities = index;
        })
        .catch((e: Error) => notice(`admission serve: vulnerability index not refreshed: ${e.message}`));
    }, vulnerabilityRefreshMs ?? VULN_REFRESH_MS);
    refresh.unref();
  }
  const recorder = store
    ? new DecisionRecorder({
        write: (batch) => saveAdmissionDecisions(store.db, batch),
        onError: (e) => notice(`admission serve: decisions not stored: ${e.message}`),
      })
    : undefined;
  let server: RunningServer;
  try {
    server = await startAdmissionServer({
      ...serve,
      vulnerabilities: () => vulnerabilities,
      ...(namespaces ? { namespaces } : {}),
      onDecision: (d, ms) => {
        recorder?.record(d);
        hooks.decision?.(d, ms);
      },
      onMutation: (m, ms) => hooks.mutation?.(m, ms),
      onError: (e) => notice(`admission serve: ${e.message}`),
      onTlsReload: (e) =>
        notice(
          e
            ? `admission serve: certificate not reloaded: ${e.message}`
            : 'admission serve: certificate reloaded',
        ),
    });
  } catch (error) {
    if (refresh) clearInterval(refresh);
    await namespaces?.stop();
    await recorder?.close();
    // a refused address or port is a UserInputError already (net/listen.ts)
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES')
      throw new UserInputError(e.path ?? 'TLS files', 'cannot read the TLS certificate or key');
    if (/PEM|key|certificate/i.test(e.message ?? ''))
      throw new UserInputError('--tls-cert/--tls-key', `not a usable certificate and key: ${e.message}`);
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    server,
    namespaces: namespaces?.size,
    close: async () => {
      await server.close();
      await namespaces?.stop();
      if (refresh) clearInterval(refresh);
      await recorder?.close();
    },
  };
}
