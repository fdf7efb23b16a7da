import { isRecord } from './load.js';
import { podTemplateRoute } from './pod-spec.js';
import type { Json, KubeObject, LoadedObject } from './types.js';

/**
 * The API server's defaulting, applied before controls judge an object, so that they see what the cluster stores:
 * - a pod volume that names no source is an `emptyDir` (core/v1 SetDefaults_Volume);
 * - a Deployment without a strategy rolls (`RollingUpdate`, maxUnavailable and maxSurge `25%`);
 * - a HorizontalPodAutoscaler without minReplicas has 1.
 * Only defaults a control reads are applied; `spec.replicas` stays as written (an HPA owns it when absent).
 * Copy-on-write: the given object is never changed, and an object that needs no default is returned as is.
 * Capability names are not rewritten here: admission (Pod Security) compares them as written; the runtime's
 * reading of them is `capabilityName`.
 */
export function withDefaults(object: KubeObject): KubeObject {
  let out = object;
  const route = podTemplateRoute(object.kind);
  if (route) out = defaultVolumes(out, [...route, 'spec', 'volumes']);
  if (object.kind === 'Deployment') out = defaultStrategy(out);
  if (object.kind === 'HorizontalPodAutoscaler' && object.apiVersion.startsWith('autoscaling/'))
    out = update(out, ['spec'], (spec) =>
      isRecord(spec) && spec.minReplicas === undefined ? { ...spec, minReplicas: 1 } : spec,
    );
  return out;
}

/** The objects with their defaults; `given` keeps the object as written when defaulting changed it. */
export function withDefaultsAll(items: readonly LoadedObject[]): LoadedObject[] {
  return items.map((item) => {
    const object = withDefaults(item.object);
    return object === item.object ? item : { ...item, object, given: item.object };
  });
}

/** The object as written in its file (before defaulting). */
export function givenObject(item: LoadedObject): KubeObject {
  return item.given ?? item.object;
}

function defaultVolumes(object: KubeObject, path: string[]): KubeObject {
  return update(object, path, (volumes) => {
    if (!Array.isArray(volumes) || !volumes.some(sourceless)) return volumes;
    return volumes.map((v) => (sourceless(v) ? { ...(v as Json), emptyDir: {} } : v));
  });
}

/** A volume whose only set field is its name: the API server makes it an emptyDir. */
function sourceless(volume: unknown): boolean {
  return (
    isRecord(volume) &&
    Object.entries(volume).every(([k, v]) => k === 'name' || v === null || v === undefined)
  );
}

const ROLLING_DEFAULTS = { maxUnavailable: '25%', maxSurge: '25%' };

function defaultStrategy(object: KubeObject): KubeObject {
  return update(object, ['spec'], (given) => {
    if (given !== undefined && !isRecord(given)) return given;
    const spec = given ?? {};
    const strategy = isRecord(spec.strategy) ? spec.strategy : {};
    const type = strategy.type ?? 'RollingUpdate';
    if (type !== 'RollingUpdate') return spec;
    const rolling = isRecord(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    if (strategy.type !== undefined && rolling.maxUnavailable !== undefined && rolling.maxSurge !== undefined)
      return spec;
    return {
      ...spec,
      strategy: {
        ...strategy,
        type,
        rollingUpdate: {
          ...rolling,
          maxUnavailable: rolling.maxUnavailable ?? ROLLING_DEFAULTS.maxUnavailable,
          maxSurge: rolling.maxSurge ?? ROLLING_DEFAULTS.maxSurge,
        },
      },
    };
  });
}

/** `root` with the value at `path` replaced by `fn(value)`, copying only the mappings on the way. */
function update<T extends Json>(root: T, path: readonly string[], fn: (value: unknown) => unknown): T {
  const [key, ...rest] = path;
  if (key === undefined) return root;
  const current = root[key];
  const next = rest.length === 0 ? fn(current) : isRecord(current) ? update(current, rest, fn) : current;
  return next === current ? root : { ...root, [key]: next };
}

/**
 * A capability as the container runtime reads it: case-insensitive, with or without `CAP_`.
 * @example capabilityName('cap_sys_admin') // 'SYS_ADMIN'
 */
export function capabilityName(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

/**
 * An IntOrString (`2`, `'50%'`) as a count of `total`, a percentage rounded up as the disruption controller does;
 * undefined when the value is neither (the API server refuses a string that is not a percentage).
 * @example scaledCount('50%', 3) // 2
 */
export function scaledCount(value: unknown, total: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(value);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : undefined;
}
