import { parseAnchor } from '../anchors.js';
import { validateElement } from '../pattern.js';
import { isObject } from '../values.js';

type Rec = Record<string, unknown>;

/**
 * Keys that identify the elements of a list of maps, in the order kyaml (the strategic merge Kyverno uses) tries
 * them when it has no schema: a list whose patch elements all carry one of them is merged element by element,
 * any other list is replaced. @example containers and volumes by `name`, volumeMounts by `mountPath`
 */
export const ASSOCIATIVE_KEYS = [
  'mountPath',
  'devicePath',
  'ip',
  'type',
  'topologyKey',
  'name',
  'containerPort',
] as const;

/** Why a patch does not apply: a conditional anchor (`(k)`) or a global anchor (`<(k)`) did not hold. */
export class AnchorConditionError extends Error {
  override readonly name = 'AnchorConditionError';
  constructor(
    readonly global: boolean,
    message: string,
  ) {
    super(message);
  }
}

const CONDITIONS = ['conditional', 'global'] as const;

/** Does a (sub)tree of a patch hold an anchor of one of these kinds? */
function hasAnchor(v: unknown, kinds: readonly string[]): boolean {
  if (Array.isArray(v)) return v.some((x) => hasAnchor(x, kinds));
  if (isObject(v))
    return Object.entries(v).some(
      ([k, x]) => kinds.includes(parseAnchor(k)?.kind ?? '') || hasAnchor(x, kinds),
    );
  return false;
}

/**
 * Keys of a patch Bulkhead does not apply: anchors Kyverno does not define for mutation (equality, negation,
 * existence) and strategic merge directives (`$patch`, `$retainKeys`, `$setElementOrder/…`).
 */
export function invalidMutationAnchors(patch: unknown): string[] {
  if (Array.isArray(patch)) return patch.flatMap(invalidMutationAnchors);
  if (!isObject(patch)) return [];
  return Object.entries(patch).flatMap(([k, v]) => {
    const a = parseAnchor(k);
    const own =
      k.startsWith('$') || (a && (a.kind === 'equality' || a.kind === 'negation' || a.kind === 'existence'))
        ? [k]
        : [];
    return [...own, ...invalidMutationAnchors(v)];
  });
}

/** Conditional and global anchors of a map must hold on the resource, as validation patterns do. */
function checkConditions(pattern: Rec, resource: unknown): void {
  for (const global of [true, false])
    for (const [k, v] of Object.entries(pattern)) {
      const a = parseAnchor(k);
      if (!a || (global ? a.kind !== 'global' : a.kind !== 'conditional')) continue;
      if (!isObject(resource) || !Object.hasOwn(resource, a.key))
        throw new AnchorConditionError(global, `${a.key} is not in the resource`);
      const m = validateElement(resource[a.key], v, `/${a.key}/`);
      if (m) throw new AnchorConditionError(global, m.message);
    }
}

/** The key a list of maps is merged by: the first associative key every patch element carries. */
function associativeKey(elements: readonly unknown[]): string | undefined {
  if (elements.length === 0 || !elements.every(isObject)) return undefined;
  return ASSOCIATIVE_KEYS.find((k) => elements.every((e) => Object.hasOwn(e as Rec, k)));
}

/**
 * Resolve a patch against the resource it will be merged into (Kyverno's strategic preprocessing): `+(k)` keys
 * are dropped where the resource has k and become plain keys where it has not; conditions must hold (else an
 * AnchorConditionError); a list element with conditions stands for each resource element that meets them (named
 * after it), and is dropped itself; maps and lists left empty are dropped. Returns a patch without anchors.
 */
function resolve(pattern: unknown, resource: unknown): unknown {
  if (Array.isArray(pattern)) return resolveList(pattern, resource);
  if (!isObject(pattern)) return pattern;
  checkConditions(pattern, resource);
  const out: Rec = {};
  for (const [k, v] of Object.entries(pattern)) {
    const a = parseAnchor(k);
    if (a?.kind === 'conditional' || a?.kind === 'global') continue;
    if (a?.kind === 'addIfAbsent') {
      if (isObject(resource) && Object.hasOwn(resource, a.key)) continue;
      out[a.key] = resolve(v, undefined);
      continue;
    }
    const resolved = resolve(v, isObject(resource) ? resource[k] : undefined);
    // a map or list that held only conditions (or keys the resource has) patches nothing
    if (!isEmpty(v) && isEmpty(resolved)) continue;
    out[k] = resolved;
  }
  return out;
}

function resolveList(pattern: unknown[], resource: unknown): unknown[] {
  const elements = Array.isArray(resource) ? resource : [];
  if (!pattern.some(isObject)) return pattern;
  const out: unknown[] = [];
  let globalFailure: AnchorConditionError | undefined;
  for (const p of pattern) {
    if (!hasAnchor(p, CONDITIONS)) {
      // a plain element is resolved against the resource element it will merge into
      const key = isObject(p) ? ASSOCIATIVE_KEYS.find((k) => Object.hasOwn(p, k)) : undefined;
      const twin = key ? elements.find((e) => isObject(e) && e[key] === (p as Rec)[key]) : undefined;
      out.push(resolve(p, twin));
      continue;
    }
    const global = hasAnchor(p, ['global']);
    let passed = false;
    for (const e of elements) {
      let resolved: unknown;
      try {
        resolved = resolve(p, e);
      } catch (error) {
        if (!(error instanceof AnchorConditionError)) throw error;
        if (error.global) globalFailure = error;
        continue;
      }
      passed = true;
      if (global) continue;
      // the element met the conditions: the patch applies to it, found again by its name
      if (isObject(e) && typeof e.name === 'string' && isObject(resolved) && !Object.hasOwn(resolved, 'name'))
        out.push({ name: e.name, ...resolved });
    }
    if (global && !passed && globalFailure) throw globalFailure;
  }
  return out;
}

const isEmpty = (v: unknown): boolean =>
  Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;

/** A patch value set where the resource has none: nulls (deletions) inside it mean nothing. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: Rec = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

/**
 * Strategic merge without a schema, as kyaml merges: maps key by key (`null` deletes), lists of maps whose patch
 * elements share an associative key element by element (new ones appended), anything else replaced.
 */
export function mergePatch(resource: unknown, patch: unknown): unknown {
  if (isObject(patch)) {
    if (!isObject(resource)) return withoutNulls(patch);
    const out: Rec = { ...resource };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = Object.hasOwn(resource, k) ? mergePatch(resource[k], v) : withoutNulls(v);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(resource)) {
    const key = associativeKey(patch);
    if (!key || !resource.every(isObject)) return withoutNulls(patch);
    const out: unknown[] = [...resource];
    for (const p of patch as Rec[]) {
      const i = out.findIndex((e) => isObject(e) && e[key] === p[key]);
      if (i >= 0) out[i] = mergePatch(out[i], p);
      else out.push(withoutNulls(p));
    }
    return out;
  }
  return withoutNulls(patch);
}

/**
 * Apply a Kyverno `patchStrategicMerge` (variables already substituted) to a resource: anchors resolved against
 * it, then merged. Throws AnchorConditionError when a condition does not hold (the rule is then skipped).
 * @example applyStrategicMerge(pod, {metadata: {labels: {'+(team)': 'none'}}})
 */
export function applyStrategicMerge(resource: unknown, patch: unknown): unknown {
  return mergePatch(resource, resolve(patch, resource));
}
