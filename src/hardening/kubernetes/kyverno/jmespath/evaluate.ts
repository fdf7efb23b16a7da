import { FUNCTIONS } from './functions.js';
import { ExpRef, JmesPathError, type Node, parseJmesPath } from './parse.js';

export { JmesPathError } from './parse.js';

type Rec = Record<string, unknown>;

export const isObject = (v: unknown): v is Rec =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ExpRef);

/** JMESPath truthiness: false, null, '', [] and {} are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function slice(list: unknown[], start: number | null, stop: number | null, step: number | null): unknown[] {
  const s = step ?? 1;
  if (s === 0) throw new JmesPathError('slice step cannot be 0');
  const n = list.length;
  const cap = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + n, s < 0 ? -1 : 0);
    return Math.min(v, s < 0 ? n - 1 : n);
  };
  const from = cap(start, s < 0 ? n - 1 : 0);
  const to = cap(stop, s < 0 ? -1 : n);
  const out: unknown[] = [];
  if (s > 0) for (let i = from; i < to; i += s) out.push(list[i]);
  else for (let i = from; i > to; i += s) out.push(list[i]);
  return out;
}

/** Evaluate a parsed expression against a value. */
export function visit(node: Node, value: unknown): unknown {
  switch (node.type) {
    case 'field':
      return isObject(value) ? (value[node.name] ?? null) : null;
    case 'current':
      return value;
    case 'literal':
      return node.value;
    case 'sub':
      return visit(node.right, visit(node.left, value));
    case 'index': {
      if (!Array.isArray(value)) return null;
      const i = node.index < 0 ? value.length + node.index : node.index;
      return value[i] ?? null;
    }
    case 'slice':
      return Array.isArray(value) ? slice(value, node.start, node.stop, node.step) : null;
    case 'indexed':
      return visit(node.right, visit(node.left, value));
    case 'projection': {
      const base = visit(node.left, value);
      if (!Array.isArray(base)) return null;
      return project(base, node.right);
    }
    case 'valueProjection': {
      const base = visit(node.left, value);
      if (!isObject(base)) return null;
      return project(Object.values(base), node.right);
    }
    case 'filter': {
      const base = visit(node.left, value);
      if (!Array.isArray(base)) return null;
      return project(
        base.filter((x) => truthy(visit(node.condition, x))),
        node.right,
      );
    }
    case 'flatten': {
      const base = visit(node.child, value);
      if (!Array.isArray(base)) return null;
      return base.flatMap((x) => (Array.isArray(x) ? x : [x]));
    }
    case 'pipe':
      return visit(node.right, visit(node.left, value));
    case 'or': {
      const l = visit(node.left, value);
      return truthy(l) ? l : visit(node.right, value);
    }
    case 'and': {
      const l = visit(node.left, value);
      return truthy(l) ? visit(node.right, value) : l;
    }
    case 'not':
      return !truthy(visit(node.child, value));
    case 'compare': {
      const l = visit(node.left, value);
      const r = visit(node.right, value);
      if (node.op === '==') return deepEqual(l, r);
      if (node.op === '!=') return !deepEqual(l, r);
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      if (node.op === '<') return l < r;
      if (node.op === '<=') return l <= r;
      if (node.op === '>') return l > r;
      return l >= r;
    }
    case 'multiList':
      if (value === null || value === undefined) return null;
      return node.items.map((n) => visit(n, value));
    case 'multiHash': {
      if (value === null || value === undefined) return null;
      const out: Rec = {};
      for (const e of node.entries) out[e.key] = visit(e.value, value);
      return out;
    }
    case 'expref':
      return new ExpRef(node.child);
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (!fn) throw new JmesPathError(`unknown function ${node.name}()`);
      return fn(
        node.args.map((a) => (a.type === 'expref' ? new ExpRef(a.child) : visit(a, value))),
        (ref, v) => visit(ref.expref, v),
      );
    }
  }
}

function project(items: unknown[], right: Node): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    const v = visit(right, x);
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/**
 * Search `data` with a JMESPath expression; undefined results are null.
 * @example search({a: [{b: 1}, {b: 2}]}, 'a[].b') // [1, 2]
 */
export function search(data: unknown, expression: string): unknown {
  return visit(parseJmesPath(expression), data) ?? null;
}
