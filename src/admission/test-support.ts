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
