import { hasNestedAnchor, parseAnchor } from './anchors.js';
import { matchScalar } from './scalar-pattern.js';
import { isObject } from './values.js';
import { hasWildcard, wildcardMatch } from './wildcard.js';

/**
 * Why a pattern did not match. `conditional` and `global` mean the pattern does not apply (a conditional or
 * global anchor was not satisfied: skip); `negation` and `plain` mean the resource breaks it (fail).
 */
export interface PatternMismatch {
  kind: 'conditional' | 'global' | 'negation' | 'plain';
  path: string;
  message: string;
}

type Rec = Record<string, unknown>;
type Result = PatternMismatch | null;

const skips = (m: Result): boolean => m !== null && (m.kind === 'conditional' || m.kind === 'global');

/** Pattern keys with wildcards under metadata labels/annotations stand for every resource key they match. */
function expandMetadataKeys(pattern: Rec, resource: Rec, path: string): Rec {
  if (!/\/metadata\/(labels|annotations)\/$/.test(path)) return pattern;
  let out: Rec | undefined;
  for (const [k, v] of Object.entries(pattern)) {
    const anchor = parseAnchor(k);
    const key = anchor ? anchor.key : k;
    if (!hasWildcard(key)) continue;
    const hits = Object.keys(resource).filter((r) => wildcardMatch(key, r));
    if (hits.length === 0) continue;
    // an anchored key keeps its anchor: `=(a/*)` stands for `=(a/x)`
    const prefix = anchor ? k.slice(0, k.indexOf('(') + 1) : '';
    out ??= { ...pattern };
    delete out[k];
    for (const h of hits) out[anchor ? `${prefix}${h})` : h] = v;
  }
  return out ?? pattern;
}

const ANCHOR_ORDER = { conditional: 0, global: 1, existence: 2, equality: 2, negation: 2, addIfAbsent: 3 };

function validateMap(resource: Rec, patternIn: Rec, path: string): Result {
  const pattern = expandMetadataKeys(patternIn, resource, path);
  const entries = Object.entries(pattern).map(([key, value]) => ({ key, value, anchor: parseAnchor(key) }));
  // anchors first (conditions before requirements), then keys holding nested anchors, then the rest
  entries.sort((a, b) => {
    const ra = a.anchor ? ANCHOR_ORDER[a.anchor.kind] : hasNestedAnchor(a.value) ? 4 : 5;
    const rb = b.anchor ? ANCHOR_ORDER[b.anchor.kind] : hasNestedAnchor(b.value) ? 4 : 5;
    return ra - rb;
  });
  for (const { key, value, anchor } of entries) {
    const r = handleKey(resource, key, value, anchor, path);
    if (r) return r;
  }
  return null;
}

function handleKey(
  resource: Rec,
  key: string,
  pattern: unknown,
  anchor: ReturnType<typeof parseAnchor>,
  path: string,
): Result {
  if (!anchor) {
    const here = `${path}${key}/`;
    const value = resource[key];
    if (pattern === '*')
      return value === null || value === undefined
        ? { kind: 'plain', path, message: `${path}${key} not found` }
        : null;
    return validateElement(value, pattern, here);
  }
  const here = `${path}${anchor.key}/`;
  const present = Object.hasOwn(resource, anchor.key);
  const value = resource[anchor.key];
  switch (anchor.kind) {
    case 'addIfAbsent':
      return null;
    case 'negation':
      return present ? { kind: 'negation', path: here, message: `${here} is not allowed` } : null;
    case 'equality':
      return present ? validateElement(value, pattern, here) : null;
    case 'conditional': {
      if (!present)
        return {
          kind: 'conditional',
          path: here,
          message: "conditional anchor key doesn't exist in the resource",
        };
      const r = validateElement(value, pattern, here);
      return r ? { kind: 'conditional', path: r.path, message: r.message } : null;
    }
    case 'global': {
      if (!present) return null;
      const r = validateElement(value, pattern, here);
      return r ? { kind: 'global', path: r.path, message: r.message } : null;
    }
    case 'existence': {
      if (!present) return null;
      if (!Array.isArray(value))
        return {
          kind: 'plain',
          path: here,
          message: `existence anchor ^(${anchor.key}) needs a list in the resource`,
        };
      if (!Array.isArray(pattern))
        return {
          kind: 'plain',
          path: here,
          message: `existence anchor ^(${anchor.key}) needs a list pattern`,
        };
      for (const p of pattern) {
        if (!isObject(p))
          return { kind: 'plain', path: here, message: 'existence anchor items must be maps' };
        if (!value.some((v, i) => validateElement(v, p, `${here}${i}/`) === null))
          return { kind: 'plain', path: here, message: `existence anchor validation failed at path ${here}` };
      }
      return null;
    }
  }
}

function validateArrayOfMaps(resource: unknown[], pattern: Rec, path: string): Result {
  let applied = 0;
  let skipped: PatternMismatch | null = null;
  for (let i = 0; i < resource.length; i++) {
    const r = validateElement(resource[i], pattern, `${path}${i}/`);
    if (r === null) applied++;
    else if (skips(r)) skipped ??= r;
    else return r;
  }
  return applied === 0 && skipped ? skipped : null;
}

function validateArray(resource: unknown[], pattern: unknown[], path: string): Result {
  if (pattern.length === 0) return { kind: 'plain', path, message: 'pattern array empty' };
  const first = pattern[0];
  if (isObject(first)) {
    for (const p of pattern) {
      const r = validateArrayOfMaps(resource, p as Rec, path);
      if (r) return r;
    }
    return null;
  }
  if (!Array.isArray(first)) return validateElement(resource, first, path);
  if (resource.length < pattern.length)
    return {
      kind: 'plain',
      path,
      message: `array length mismatch: resource has ${resource.length}, pattern ${pattern.length}`,
    };
  let applied = 0;
  let skipped: PatternMismatch | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const r = validateElement(resource[i], pattern[i], `${path}${i}/`);
    if (r === null) applied++;
    else if (skips(r)) skipped ??= r;
    else return r;
  }
  return applied === 0 && skipped ? skipped : null;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null');
}

/** Validate a resource element against a pattern element, as Kyverno's `validate.pattern` does. */
export function validateElement(resource: unknown, pattern: unknown, path: string): Result {
  if (isObject(pattern)) {
    if (!isObject(resource))
      return {
        kind: 'plain',
        path,
        message: `pattern and resource have different structures at ${path}: expected a map`,
      };
    return validateMap(resource, pattern, path);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource))
      return { kind: 'plain', path, message: `validation rule failed at path ${path}: expected a list` };
    return validateArray(resource, pattern, path);
  }
  if (Array.isArray(resource)) {
    for (const item of resource)
      if (!matchScalar(item, pattern))
        return {
          kind: 'plain',
          path,
          message: `resource value '${show(resource)}' does not match '${show(pattern)}' at path ${path}`,
        };
    return null;
  }
  if (!matchScalar(resource, pattern))
    return {
      kind: 'plain',
      path,
      message: `resource value '${show(resource)}' does not match '${show(pattern)}' at path ${path}`,
    };
  return null;
}

/** Match a whole resource against a `validate.pattern`: null when it matches. */
export function matchPattern(resource: unknown, pattern: unknown): PatternMismatch | null {
  return validateElement(resource, pattern, '/');
}

export function mismatchSkips(m: PatternMismatch): boolean {
  return skips(m);
}
