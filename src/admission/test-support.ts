/** Small AdmissionReview bodies for the admission tests. */

export interface ReviewFixture {
  apiVersion?: string;
  uid?: string;
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  object?: Record<string, unknown> | null;
  oldObject?: Record<string, unknown> | null;
  username?: string;
  groups?: string[];
  dryRun?: boolean;
}

/** A Pod with one container; `securityContext` and `image` are the container's. */
export function pod(
  name: string,
  container: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'apps' },
    spec: { containers: [{ name: 'app', image: 'registry.local/app:1.0', ...container }], ...spec },
  };
}

export const privilegedPod = (name = 'priv') => pod(name, { securityContext: { privileged: true } });

/** An AdmissionReview request body (JSON text) around an object. */
export function reviewBody(f: ReviewFixture): string {
  const object = f.object === undefined ? pod('web') : f.object;
  const kindOf = (object ?? f.oldObject ?? {}) as { apiVersion?: string; kind?: string };
  const [group, version] = (kindOf.apiVersion ?? 'v1').includes('/')
    ? (kindOf.apiVersion ?? '').split('/')
    : ['', kindOf.apiVersion ?? 'v1'];
  return JSON.stringify({
    apiVersion: f.apiVersion ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: f.uid ?? 'uid-1',
      kind: { group, version, kind: kindOf.kind ?? 'Pod' },
      resource: { group, version, resource: `${(kindOf.kind ?? 'Pod').toLowerCase()}s` },
      operation: f.operation ?? 'CREATE',
      namespace: f.namespace ?? 'apps',
      userInfo: { username: f.username ?? 'alice', groups: f.groups ?? ['system:authenticated'] },
      object,
      oldObject: f.oldObject ?? null,
      dryRun: f.dryRun ?? false,
    },
  });
}

/** POST (or GET without body) over HTTPS trusting `ca`; resolves with the status and the body text. */
export async function httpsRequest(
  url: string,
  ca: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; text: string; json(): unknown }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: body === undefined ? 'GET' : 'POST', ca, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}
