import type { Json, K8sAuditEvent, RuntimeEvent } from '../../event.js';

/** The audit event of a k8s-audit event at stage ResponseComplete (the default stage of every row). */
export function complete(e: RuntimeEvent): K8sAuditEvent | undefined {
  const a = e.audit;
  return a && (a.stage ?? 'ResponseComplete') === 'ResponseComplete' ? a : undefined;
}

export function isResource(a: K8sAuditEvent, ...resources: string[]): boolean {
  return resources.includes(a.objectRef?.resource ?? '') && !a.objectRef?.subresource;
}

export function verbIn(a: K8sAuditEvent, ...verbs: string[]): boolean {
  return verbs.includes(a.verb ?? '');
}

export function ok(a: K8sAuditEvent): boolean {
  const code = a.responseStatus?.code;
  return code !== undefined && code >= 200 && code < 300;
}

export function user(a: K8sAuditEvent): string {
  return a.user?.username ?? '';
}

export function systemUser(a: K8sAuditEvent): boolean {
  return user(a).startsWith('system:');
}

/** Glob match with `*` (user lists such as `system:serviceaccount:kube-system:*`). */
export function matchesAny(value: string, patterns: string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : p === value));
}

export function targetName(a: K8sAuditEvent): string {
  return a.objectRef?.name ?? a.requestObject?.metadata?.name ?? a.responseObject?.metadata?.name ?? '';
}

export function namespace(a: K8sAuditEvent): string {
  return a.objectRef?.namespace ?? a.requestObject?.metadata?.namespace ?? '';
}

/** Pod create: pods, no subresource, verb create. */
export function podCreate(a: K8sAuditEvent): boolean {
  return isResource(a, 'pods') && verbIn(a, 'create');
}

/** Containers of a pod spec: containers, initContainers and ephemeralContainers. */
export function containers(spec: Json): Json[] {
  if (!spec || typeof spec !== 'object') return [];
  return [spec.containers, spec.initContainers, spec.ephemeralContainers]
    .filter(Array.isArray)
    .flat()
    .filter((c) => c && typeof c === 'object');
}

/** Image reference without tag and digest. @example repository('docker.io/calico/node:v3') // 'docker.io/calico/node' */
export function repository(image: string): string {
  let ref = image.split('@')[0] ?? image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  return ref;
}

export function images(spec: Json): string[] {
  return containers(spec).map((c) => String(c.image ?? ''));
}

/** Falco's `in` on a list field: every element in the list, and an empty list never matches. */
export function allIn(values: string[], list: string[]): boolean {
  return values.length > 0 && values.every((v) => list.includes(v));
}

/** The pod spec a workload object carries (Pod, Deployment…, CronJob). */
export function podSpecOf(obj: Json): Json {
  if (!obj || typeof obj !== 'object') return undefined;
  if (obj.kind === 'Pod' || obj.spec?.containers) return obj.spec;
  if (obj.spec?.jobTemplate) return obj.spec.jobTemplate.spec?.template?.spec;
  return obj.spec?.template?.spec;
}

/** Role rules flattened as Falco does: union of resources and union of verbs across all rules. */
export function flattenRole(obj: Json): { resources: string[]; verbs: string[]; rules: Json[] } {
  const rules: Json[] = Array.isArray(obj?.rules) ? obj.rules : [];
  const resources = new Set<string>();
  const verbs = new Set<string>();
  for (const r of rules) {
    for (const x of r?.resources ?? []) resources.add(String(x));
    for (const x of r?.verbs ?? []) verbs.add(String(x));
  }
  return { resources: [...resources], verbs: [...verbs], rules };
}

/** URL query parameters of the request (exec `command=`, `container=`). */
export function query(a: K8sAuditEvent): URLSearchParams {
  const uri = a.requestURI ?? '';
  const q = uri.indexOf('?');
  return new URLSearchParams(q >= 0 ? uri.slice(q + 1) : '');
}

export function basicEvidence(a: K8sAuditEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    user: user(a),
    verb: a.verb,
    resource: a.objectRef?.resource,
  };
  if (a.objectRef?.namespace) out.namespace = a.objectRef.namespace;
  const name = targetName(a);
  if (name) out.name = name;
  if (a.sourceIPs?.[0]) out.sourceIP = a.sourceIPs[0];
  if (a.impersonatedUser?.username) out.impersonatedUser = a.impersonatedUser.username;
  if (a.responseStatus?.code !== undefined) out.code = a.responseStatus.code;
  return out;
}

/** Service exposure through a load balancer: the resulting Service object of a 2xx create/update/patch. */
export function exposedService(a: K8sAuditEvent): Json {
  if ((a.stage ?? 'ResponseComplete') !== 'ResponseComplete') return undefined;
  if (!isResource(a, 'services') || !verbIn(a, 'create', 'update', 'patch') || !ok(a)) return undefined;
  const svc = a.responseObject?.kind === 'Service' ? a.responseObject : a.requestObject;
  if (svc?.spec?.type !== 'LoadBalancer') return undefined;
  return svc;
}

export function serviceLabels(svc: Json): Record<string, string> {
  return { ...(svc?.metadata?.labels ?? {}), ...(svc?.spec?.selector ?? {}) };
}

export function servicePorts(svc: Json): number[] {
  const ports: number[] = [];
  for (const p of svc?.spec?.ports ?? []) {
    if (typeof p?.port === 'number') ports.push(p.port);
    if (typeof p?.targetPort === 'number') ports.push(p.targetPort);
  }
  return ports;
}

/** `loadBalancerSourceRanges` empty, or containing 0.0.0.0/0 (or a range wider than `/minPrefix`). */
export function openToWorld(svc: Json, minPrefix = 0): boolean {
  const ranges: string[] = svc?.spec?.loadBalancerSourceRanges ?? [];
  if (ranges.length === 0) return true;
  return ranges.some((r) => {
    const bits = Number(String(r).split('/')[1] ?? 32);
    return bits === 0 || (minPrefix > 0 && bits < minPrefix);
  });
}
