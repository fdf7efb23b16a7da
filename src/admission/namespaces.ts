import { UserInputError } from '../core/errors.js';
import {
  type ClusterOptions,
  kubeConfig,
  listAll,
  type Requester,
  requester,
} from '../hardening/kubernetes/live/cluster.js';
import type { KubeObject } from '../hardening/kubernetes/objects/types.js';
import type { AdmissionPolicy } from './policy.js';

/** Where a Namespace cache reads from: a kubeconfig (file and context) or the pod's service account. */
export type NamespaceSource = Pick<
  ClusterOptions,
  'kubeconfig' | 'context' | 'inCluster' | 'serviceAccountRoot'
>;

export interface NamespaceCacheOptions {
  source: NamespaceSource;
  /** Seconds between two complete lists (default 30). */
  refreshSeconds?: number;
  /** Items per list page (default 500). */
  pageSize?: number;
  /** Told when a refresh failed; the previous Namespaces stay in use. */
  onError?: (error: Error) => void;
  /** A requester instead of the kubeconfig's (tests). */
  get?: Requester;
}

export const DEFAULT_NAMESPACE_REFRESH_SECONDS = 30;

const NAMESPACES = { path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace' } as const;

/**
 * The cluster's Namespaces, kept in memory for the webhook: listed (paged) at start, then listed again every
 * `refreshSeconds` in the background. A complete re-list replaces the whole map at once: there is no watch
 * state to lose (expired resourceVersions, dropped connections, missed deletions), and a failed refresh keeps
 * the previous map. Requests only read the map: no request ever waits on the API server.
 */
export class NamespaceCache {
  private byName = new Map<string, KubeObject>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly get: Requester;
  /** Completed lists, failed lists, and when the map was last replaced (ms since epoch; 0 = never). */
  refreshes = 0;
  refreshErrors = 0;
  lastRefresh = 0;

  constructor(private readonly options: NamespaceCacheOptions) {
    this.get = options.get ?? requester(kubeConfig(options.source));
  }

  /** The Namespace object of that name, when the last list had it. */
  lookup(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** List now (a list already under way is shared). Rejects with the reason when the list fails. */
  refresh(): Promise<void> {
    this.running ??= this.list()
      .catch((error: unknown) => {
        this.refreshErrors += 1;
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async list(): Promise<void> {
    const listed = await listAll(this.get, NAMESPACES, this.options.pageSize ?? 500);
    if (!Array.isArray(listed)) {
      if (listed.status === 401 || listed.status === 403)
        throw new UserInputError(
          'namespaces',
          `the API server refused to list namespaces (${listed.message}): the webhook needs get/list/watch on namespaces`,
        );
      throw new Error(`listing namespaces failed: ${listed.message}`);
    }
    const next = new Map<string, KubeObject>();
    for (const ns of listed) if (ns.metadata.name) next.set(ns.metadata.name, ns);
    this.byName = next;
    this.refreshes += 1;
    this.lastRefresh = Date.now();
  }

  /**
   * The first list (its failure is reported through onError and the cache starts empty), then the periodic
   * refresh. Resolves once the first list ended either way.
   */
  async start(): Promise<void> {
    const seconds = this.options.refreshSeconds ?? DEFAULT_NAMESPACE_REFRESH_SECONDS;
    await this.refresh().catch((e: unknown) => this.failed(e));
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.failed(e));
    }, seconds * 1000);
    this.timer.unref();
  }

  private failed(error: unknown): void {
    this.options.onError?.(error as Error);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does a document select by namespace labels or read `namespaceObject` anywhere (a key or CEL text)? */
function readsNamespace(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'string') return /\bnamespaceObject\b/.test(value);
  if (Array.isArray(value)) return value.some((v) => readsNamespace(v, depth + 1));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(
    ([k, v]) => (k === 'namespaceSelector' && isRecord(v)) || readsNamespace(v, depth + 1),
  );
}

/**
 * Does the policy need the cluster's Namespaces: a Gatekeeper constraint with `match.namespaceSelector`, a
 * ValidatingAdmissionPolicy or binding with a namespaceSelector, or a CEL expression reading `namespaceObject`?
 */
export function policyNeedsNamespaces(policy: AdmissionPolicy): boolean {
  return (
    policy.constraints.some((c) => isRecord(c.match) && isRecord(c.match.namespaceSelector)) ||
    policy.celDocuments.some((d) => readsNamespace(d))
  );
}
