import { isRecord } from './load.js';
import type { Json, KubeObject } from './types.js';

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

export interface ContainerView {
  container: Json;
  name: string;
  /** For messages, in the peers' words. @example 'initContainer "init"' */
  label: string;
  list: ContainerList;
  index: number;
  /** Field path from the owning object. @example 'spec.template.spec.containers[0]' */
  path: string;
}

/** The pod spec of a Pod or of a pod template owner, normalised once, with its path in the owner. */
export interface PodSpecView {
  spec: Json;
  /** Pod (template) metadata: labels and annotations the pod will carry. */
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  /** Field path of the spec in the owner. @example 'spec.jobTemplate.spec.template.spec' */
  path: string;
  containers: ContainerView[];
  securityContext: Json;
  volumes: Json[];
  isWindows: boolean;
  hostUsersFalse: boolean;
}

/** Where the pod template sits in each owner kind. */
const TEMPLATE_PATH: Readonly<Record<string, string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // Kubernetes agent-sandbox (agents.x-k8s.io): each sandbox runs one pod from its template
  Sandbox: ['spec', 'podTemplate'],
  SandboxTemplate: ['spec', 'podTemplate'],
};

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_PATH));

/** Keys from the object to its pod template (`[]` for a Pod), or undefined for kinds without one. */
export function podTemplateRoute(kind: string): readonly string[] | undefined {
  return TEMPLATE_PATH[kind];
}

const cache = new WeakMap<KubeObject, PodSpecView | null>();

/** The pod spec view of a workload, or null when the object has none. Cached per object. */
export function podSpecOf(object: KubeObject): PodSpecView | null {
  const hit = cache.get(object);
  if (hit !== undefined) return hit;
  const view = build(object);
  cache.set(object, view);
  return view;
}

function build(object: KubeObject): PodSpecView | null {
  const route = TEMPLATE_PATH[object.kind];
  if (!route) return null;
  let template: unknown = object;
  for (const key of route) template = isRecord(template) ? template[key] : undefined;
  if (!isRecord(template) || !isRecord(template.spec)) return null;
  const prefix = route.length ? `${route.join('.')}.` : '';
  const path = `${prefix}spec`;
  const spec = template.spec;
  const meta = isRecord(template.metadata) ? template.metadata : {};
  const containers: ContainerView[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, index) => {
      if (!isRecord(c)) return;
      const name = typeof c.name === 'string' ? c.name : `${list}[${index}]`;
      containers.push({
        container: c,
        name,
        label: `${list.slice(0, -1)} "${name}"`,
        list,
        index,
        path: `${path}.${list}[${index}]`,
      });
    });
  }
  const os = isRecord(spec.os) ? spec.os.name : undefined;
  return {
    spec,
    metadata: { labels: strMap(meta.labels), annotations: strMap(meta.annotations) },
    path,
    containers,
    securityContext: isRecord(spec.securityContext) ? spec.securityContext : {},
    volumes: Array.isArray(spec.volumes) ? spec.volumes.filter(isRecord) : [],
    isWindows: os === 'windows',
    hostUsersFalse: spec.hostUsers === false,
  };
}

function strMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

/** A container's securityContext, or an empty mapping. */
export function sc(c: ContainerView): Json {
  return isRecord(c.container.securityContext) ? c.container.securityContext : {};
}

/** Safe nested read: get(obj, 'a', 'b', 0, 'c'). */
export function get(value: unknown, ...keys: (string | number)[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof k === 'number') v = Array.isArray(v) ? v[k] : undefined;
    else v = isRecord(v) ? v[k] : undefined;
  }
  return v;
}
