import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { ExternalServiceError, redactUrl, UserInputError } from '../../../core/errors.js';
import { isRecord } from '../objects/load.js';
import { WORKLOAD_KINDS } from '../objects/pod-spec.js';
import type { KubeObject, LoadError, LoadedObject } from '../objects/types.js';
import { LIST_ENDPOINTS, type ListEndpoint } from './endpoints.js';

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  /** The pod's service account (token and CA at the standard paths, KUBERNETES_SERVICE_HOST/PORT). */
  inCluster?: boolean;
  /** With `inCluster`: a directory the standard service account paths are read under (tests). */
  serviceAccountRoot?: string;
  /** Items per list page (`limit`). */
  pageSize?: number;
}

export interface ClusterInventory {
  /** Objects results are reported on: controllers, and pods, ReplicaSets and Jobs no controller owns. */
  objects: LoadedObject[];
  /** Owned pods, ReplicaSets and Jobs: context for selectors, not reported twice. */
  context: LoadedObject[];
  errors: LoadError[];
  /** `name`: the kubeconfig context (else cluster) name; `configName`: the kubeconfig's cluster entry. */
  cluster: { name: string; server: string; version?: string; configName?: string };
}

export type Requester = (path: string) => Promise<{ status: number; body: string }>;

/** The kubeconfig of the options: a file, the pod's service account (`inCluster`), or the default one. */
export function kubeConfig(options: ClusterOptions): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (options.inCluster) {
      if (!process.env.KUBERNETES_SERVICE_HOST)
        throw new Error('KUBERNETES_SERVICE_HOST is not set (not running in a pod)');
      kc.loadFromCluster(options.serviceAccountRoot);
    } else if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
    if (options.context) kc.setCurrentContext(options.context);
  } catch (error) {
    throw new UserInputError(
      options.inCluster ? '--in-cluster' : (options.kubeconfig ?? '--kubeconfig'),
      `cannot load kubeconfig: ${(error as Error).message}`,
    );
  }
  if (options.context && !kc.getContexts().some((c) => c.name === options.context))
    throw new UserInputError('--context', `no context "${options.context}" in the kubeconfig`);
  if (!kc.getCurrentCluster())
    throw new UserInputError(options.kubeconfig ?? '--kubeconfig', 'no current cluster');
  return kc;
}

/** GET requests to the current cluster with the kubeconfig's credentials. */
export function requester(kc: KubeConfig): Requester {
  const server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
  return async (path) => {
    const url = new URL(server + path);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    await kc.applyToHTTPSOptions(opts);
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', (e) => reject(new ExternalServiceError(redactUrl(server), e.message, { cause: e })));
      req.end();
    });
  };
}

/** Every item of one list endpoint, following `continue` tokens. */
export async function listAll(
  get: Requester,
  ep: ListEndpoint,
  pageSize: number,
): Promise<KubeObject[] | { status: number; message: string }> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (token) query.set('continue', token);
    const res = await get(`${ep.path}?${query}`);
    if (res.status !== 200) {
      let message = `HTTP ${res.status}`;
      try {
        const b = JSON.parse(res.body) as { message?: string };
        if (b.message) message = b.message;
      } catch {}
      return { status: res.status, message };
    }
    const body = JSON.parse(res.body) as { items?: unknown[]; metadata?: { continue?: string } };
    for (const item of body.items ?? [])
      if (isRecord(item))
        items.push({
          ...item,
          apiVersion: ep.apiVersion,
          kind: ep.kind,
          metadata: isRecord(item.metadata) ? item.metadata : {},
        } as KubeObject);
    token = body.metadata?.continue || undefined;
    if (!token) break;
  }
  return items;
}

function ownedByController(o: KubeObject): boolean {
  const refs = Array.isArray(o.metadata.ownerReferences) ? o.metadata.ownerReferences : [];
  return refs.some((r) => isRecord(r) && r.controller === true && WORKLOAD_KINDS.has(String(r.kind)));
}

/**
 * Read the cluster's objects, read-only: each list endpoint paged with `limit`/`continue`. A Cluster object
 * (server version) is added for the cluster-level controls.
 */
export async function listClusterObjects(
  options: ClusterOptions = {},
  get?: Requester,
): Promise<ClusterInventory> {
  const kc = kubeConfig(options);
  const request = get ?? requester(kc);
  const server = kc.getCurrentCluster()!.server;
  const name = kc.getCurrentContext() || kc.getCurrentCluster()!.name;
  const errors: LoadError[] = [];
  const objects: LoadedObject[] = [];
  const context: LoadedObject[] = [];
  const version = await request('/version').then(
    (r) => (r.status === 200 ? (JSON.parse(r.body) as { gitVersion?: string }).gitVersion : undefined),
    (e: unknown) => {
      throw e instanceof ExternalServiceError ? e : new ExternalServiceError(redactUrl(server), String(e));
    },
  );
  for (const ep of LIST_ENDPOINTS) {
    const listed = await listAll(request, ep, options.pageSize ?? 500);
    if (!Array.isArray(listed)) {
      if (listed.status === 401)
        throw new UserInputError(
          '--kubeconfig',
          `the API server refused the credentials (${listed.message})`,
        );
      if (listed.status !== 404) errors.push({ file: `cluster:${ep.path}`, reason: listed.message });
      continue;
    }
    for (const object of listed) {
      const item: LoadedObject = { object, source: { file: `cluster:${ep.path}` } };
      (ownedByController(object) ? context : objects).push(item);
    }
  }
  objects.push({
    object: {
      apiVersion: 'bulkhead.dev/v1',
      kind: 'Cluster',
      metadata: { name },
      status: { version, server: redactUrl(server) },
    },
    source: { file: 'cluster:/version' },
  });
  return {
    objects,
    context,
    errors,
    cluster: {
      name,
      server: redactUrl(server),
      ...(version ? { version } : {}),
      configName: kc.getCurrentCluster()!.name,
    },
  };
}
