import type { z } from 'zod';

type Rec = Record<string, unknown>;

/** What a default fills: a Pod (or a pod controller's template) or the admitted object's own metadata. */
export type DefaultScope = 'pod' | 'object';

/**
 * A Bulkhead-native default: one key of the AdmissionPolicy's `defaults`, filled into admitted objects where
 * they leave it out (never overwriting what they set).
 */
export interface AdmissionDefault<T = unknown> {
  /** The key under `defaults:` in the policy file. @example 'runAsUser' */
  id: string;
  /** What the policy file may give for it (checked at load). */
  schema: z.ZodType<T>;
  scope: DefaultScope;
  /** One line for the docs and errors. */
  description: string;
  /**
   * Fill the default in place: `target` is the Pod view (`metadata`, `spec`) for `pod` defaults, the object for
   * `object` defaults.
   */
  apply(target: Rec, value: T): void;
}

/** The object at `key` of a map, created when absent (a value that is not a map is left alone: undefined). */
export function child(at: Rec, key: string): Rec | undefined {
  const v = at[key];
  if (v === undefined || v === null) {
    const created: Rec = {};
    at[key] = created;
    return created;
  }
  return typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** Every container of a pod spec: containers, initContainers and ephemeralContainers. */
export function containersOf(spec: Rec | undefined): Rec[] {
  if (!spec) return [];
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) =>
    Array.isArray(spec[k])
      ? (spec[k] as unknown[]).filter(
          (c): c is Rec => typeof c === 'object' && c !== null && !Array.isArray(c),
        )
      : [],
  );
}

/** Set `key` of the pod's securityContext when absent. */
export function podSecurityDefault(pod: Rec, key: string, value: unknown): void {
  const spec = child(pod, 'spec');
  const sc = spec && child(spec, 'securityContext');
  if (sc && !Object.hasOwn(sc, key)) sc[key] = value;
}

/** Set `key` of each container's securityContext when absent. */
export function containerSecurityDefault(pod: Rec, key: string, value: unknown): void {
  for (const c of containersOf(child(pod, 'spec'))) {
    const sc = child(c, 'securityContext');
    if (sc && !Object.hasOwn(sc, key)) sc[key] = structuredClone(value);
  }
}
