import { isRecord } from '../objects/load.js';
import { type ContainerView, get, type PodSpecView, podSpecOf, sc } from '../objects/pod-spec.js';
import type { Json, KubeObject, LoadedObject } from '../objects/types.js';
import type { ControlFailure, EvalContext } from './types.js';

export { get, isRecord, sc };

/** Run `fn` on the pod spec of a workload; null (not applicable) for other kinds. */
export function onPod(fn: (pod: PodSpecView, item: LoadedObject, ctx: EvalContext) => ControlFailure[]) {
  return (item: LoadedObject, ctx: EvalContext): ControlFailure[] | null => {
    const pod = podSpecOf(item.object);
    return pod ? fn(pod, item, ctx) : null;
  };
}

/** Run `fn` on every container (init, regular, ephemeral) of a workload. */
export function onContainers(
  fn: (
    c: ContainerView,
    pod: PodSpecView,
    ctx: EvalContext,
    item: LoadedObject,
  ) => ControlFailure | ControlFailure[] | undefined,
) {
  return onPod((pod, item, ctx) => {
    const out: ControlFailure[] = [];
    const exempt = ctx.params.exemptImages;
    for (const c of pod.containers) {
      if (exempt.length && exempt.some((p) => glob(p, String(c.container.image ?? '')))) continue;
      const r = fn(c, pod, ctx, item);
      if (Array.isArray(r)) out.push(...r);
      else if (r) out.push(r);
    }
    return out;
  });
}

/** Same, regular and init containers only (ephemeral containers cannot set the field). */
export function onRunContainers(
  fn: (c: ContainerView, pod: PodSpecView, ctx: EvalContext) => ControlFailure | ControlFailure[] | undefined,
) {
  return onContainers((c, pod, ctx) => (c.list === 'ephemeralContainers' ? undefined : fn(c, pod, ctx)));
}

/** Run `fn` on objects of the given kinds only. */
export function onKinds(
  kinds: readonly string[],
  fn: (object: KubeObject, item: LoadedObject, ctx: EvalContext) => ControlFailure[],
) {
  const set = new Set(kinds);
  return (item: LoadedObject, ctx: EvalContext): ControlFailure[] | null =>
    set.has(item.object.kind) ? fn(item.object, item, ctx) : null;
}

export function finding(message: string, field?: string): ControlFailure {
  return field ? { message, field } : { message };
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function records(value: unknown): Json[] {
  return asArray(value).filter(isRecord);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function ns(object: KubeObject): string {
  return object.metadata.namespace ?? 'default';
}

/** Does a label selector (matchLabels + matchExpressions, or a plain map) select these labels? */
export function selects(selector: unknown, labels: Record<string, string>, plainMap = false): boolean {
  if (!isRecord(selector)) return false;
  if (plainMap) {
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([k, v]) => labels[k] === String(v));
  }
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  for (const e of records(selector.matchExpressions)) {
    const key = String(e.key);
    const values = asArray(e.values).map(String);
    const has = key in labels;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Image reference parts. @example parseImage('nginx:1.25') // {repo:'nginx', tag:'1.25'} */
export function parseImage(image: string): { repo: string; tag?: string; digest?: string } {
  const [name, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const repo = colon > slash ? name.slice(0, colon) : name;
  return { repo, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Workloads of the bundle with their pod labels, namespace and owner object. */
export function podTemplates(
  ctx: EvalContext,
): { item: LoadedObject; labels: Record<string, string>; namespace: string }[] {
  return ctx.inventory.cached('pod-templates', () =>
    ctx.inventory.items
      .map((item) => ({ item, pod: podSpecOf(item.object) }))
      .filter((x) => x.pod !== null)
      .map(({ item, pod }) => ({ item, labels: pod!.metadata.labels, namespace: ns(item.object) })),
  );
}

/** Pod templates of one namespace, indexed once per inventory. */
export function podTemplatesIn(ctx: EvalContext, namespace: string): ReturnType<typeof podTemplates> {
  const index = ctx.inventory.cached('pod-templates-by-namespace', () => {
    const map = new Map<string, ReturnType<typeof podTemplates>>();
    for (const p of podTemplates(ctx)) {
      const list = map.get(p.namespace);
      if (list) list.push(p);
      else map.set(p.namespace, [p]);
    }
    return map;
  });
  return index.get(namespace) ?? [];
}

/** Simple glob: `*` matches any run of characters. */
export function glob(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
  return re.test(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
