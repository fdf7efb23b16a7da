import { UserInputError } from '../../core/errors.js';
import type { ResourceRef, ResourceType } from '../../core/resource.js';
import type { K8sAuditEvent, RuntimeEvent } from '../event.js';
import type { DecoderOptions, EventSource, LineDecoder } from './types.js';

const MAX_DOCUMENT = 64 * 1024 * 1024;

const TYPES: Record<string, ResourceType> = {
  pods: 'pod',
  namespaces: 'namespace',
  serviceaccounts: 'service-account',
  roles: 'role',
  clusterroles: 'role',
  rolebindings: 'binding',
  clusterrolebindings: 'binding',
  deployments: 'workload',
  daemonsets: 'workload',
  statefulsets: 'workload',
  replicasets: 'workload',
  jobs: 'workload',
  cronjobs: 'workload',
};

/** The resource an audit event concerns: the object it names, inside its cluster. */
export function auditResource(a: K8sAuditEvent, cluster = 'default'): ResourceRef {
  const ref = a.objectRef ?? {};
  const parent: ResourceRef = { type: 'cluster', id: cluster };
  const resource = ref.resource ?? 'nonresource';
  const name =
    ref.name ??
    a.requestObject?.metadata?.name ??
    a.responseObject?.metadata?.name ??
    a.requestObject?.metadata?.generateName ??
    '';
  const ns = ref.namespace;
  const id = [ns ?? '', resource, name].join('/');
  const out: ResourceRef = {
    type: TYPES[resource] ?? (resource === 'nonresource' ? 'cluster' : 'object'),
    id: resource === 'nonresource' ? (a.requestURI?.split('?')[0] ?? '/') : id,
    parent,
  };
  if (name) out.name = name;
  if (ns) out.namespace = ns;
  return out;
}

/** Normalise one audit event (already validated as an object). */
export function auditEvent(a: K8sAuditEvent, cluster?: string): RuntimeEvent {
  const stamp = a.stageTimestamp ?? a.requestReceivedTimestamp;
  const time = stamp ? Date.parse(stamp) : Number.NaN;
  return {
    source: 'k8s-audit',
    kind: 'k8s',
    time: Number.isFinite(time) ? time : Date.now(),
    resource: auditResource(a, cluster),
    audit: a,
  };
}

/** Accept an Event (kind Event, or no kind but audit fields) or an EventList; anything else is refused. */
export function auditItems(value: unknown, label: string): K8sAuditEvent[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UserInputError(label, 'not a Kubernetes audit Event: expected a JSON object per line');
  const v = value as Record<string, unknown>;
  if (v.kind === 'EventList') {
    if (!Array.isArray(v.items)) throw new UserInputError(label, 'EventList without items');
    return v.items.flatMap((item) => auditItems(item, label));
  }
  const looksLikeEvent = v.kind === undefined && typeof v.auditID === 'string' && typeof v.verb === 'string';
  if (v.kind !== 'Event' && !looksLikeEvent)
    throw new UserInputError(label, `not a Kubernetes audit Event (kind ${JSON.stringify(v.kind ?? null)})`);
  const api = v.apiVersion;
  if (
    api !== undefined &&
    api !== 'audit.k8s.io/v1' &&
    api !== 'audit.k8s.io/v1beta1' &&
    api !== 'audit.k8s.io/v1alpha1'
  )
    throw new UserInputError(label, `unsupported audit apiVersion ${JSON.stringify(api)}`);
  return [v as K8sAuditEvent];
}

class K8sAuditDecoder implements LineDecoder {
  readonly stats = { lines: 0, events: 0, skipped: 0 };
  private buffer = '';

  constructor(
    private readonly emit: (e: RuntimeEvent) => void,
    private readonly options: DecoderOptions,
  ) {}

  line(text: string): void {
    this.stats.lines += 1;
    if (this.buffer === '' && text.trim() === '') return;
    const candidate = this.buffer === '' ? text : `${this.buffer}\n${text}`;
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      // a pretty-printed document spans lines: keep collecting (bounded)
      if (candidate.length > MAX_DOCUMENT)
        throw new UserInputError(this.options.label, 'JSON document too large or malformed');
      if (this.buffer === '' && !/^\s*[{[]/.test(text))
        throw new UserInputError(this.options.label, `line ${this.stats.lines}: not JSON`);
      this.buffer = candidate;
      return;
    }
    this.buffer = '';
    for (const item of auditItems(value, this.options.label)) {
      this.stats.events += 1;
      this.emit(auditEvent(item, this.options.cluster));
    }
  }

  end(): void {
    if (this.buffer.trim() !== '')
      throw new UserInputError(this.options.label, 'truncated or malformed JSON at end of input');
  }
}

export const k8sAudit = {
  name: 'k8s-audit',
  description:
    'Kubernetes API-server audit events (audit.k8s.io/v1 Event JSON lines, EventList webhook POSTs)',
  decoder: (emit, options) => new K8sAuditDecoder(emit, options),
} satisfies EventSource;
