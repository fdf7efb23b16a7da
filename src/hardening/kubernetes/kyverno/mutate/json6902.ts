import jsonPatch, { type Operation } from 'fast-json-patch';
import { parse } from 'yaml';
import { isObject } from '../values.js';

type Rec = Record<string, unknown>;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * The operations of a `patchesJson6902` (a YAML or JSON list, as a string or already parsed); a problem with
 * them is thrown as an Error naming the operation.
 */
export function parseJson6902(value: unknown): Operation[] {
  const list = typeof value === 'string' ? (parse(value) as unknown) : value;
  if (!Array.isArray(list)) throw new Error('patchesJson6902 is not a list of operations');
  return list.map((op, i) => {
    if (!isObject(op) || typeof op.op !== 'string' || !OPS.has(op.op) || typeof op.path !== 'string')
      throw new Error(`patchesJson6902 operation ${i + 1} needs an op (${[...OPS].join(', ')}) and a path`);
    return op as unknown as Operation;
  });
}

const tokens = (path: string): string[] =>
  path === '' ? [] : path.slice(1).split('/').map(jsonPatch.unescapePathComponent);

const pointer = (parts: readonly string[]): string =>
  parts.map((p) => `/${jsonPatch.escapePathComponent(p)}`).join('');

/** A negative index counts from the end of its list (`/spec/containers/-1` is the last container). */
function resolveIndices(document: unknown, path: string): string {
  let at: unknown = document;
  const out: string[] = [];
  for (const t of tokens(path)) {
    let part = t;
    if (Array.isArray(at) && /^-\d+$/.test(t)) part = String(at.length + Number(t));
    out.push(part);
    at = Array.isArray(at) ? at[Number(part)] : isObject(at) ? at[part] : undefined;
  }
  return pointer(out);
}

function exists(document: unknown, path: string): boolean {
  let at: unknown = document;
  for (const t of tokens(path)) {
    if (Array.isArray(at) && /^\d+$/.test(t) && Number(t) < at.length) at = at[Number(t)];
    else if (isObject(at) && Object.hasOwn(at, t)) at = at[t];
    else return false;
  }
  return true;
}

/** Create the maps (or lists, before an index) an `add` needs on its way. */
function ensureParents(document: Rec, path: string): void {
  const parts = tokens(path);
  let at: unknown = document;
  for (const [i, t] of parts.slice(0, -1).entries()) {
    const next = parts[i + 1]!;
    if (isObject(at)) {
      if (at[t] === undefined || at[t] === null) at[t] = /^(\d+|-)$/.test(next) ? [] : {};
      at = at[t];
    } else if (Array.isArray(at)) at = at[Number(t)];
    else return;
  }
}

/**
 * Apply JSON Patch operations to a copy of a document with the options Kyverno applies them with: negative
 * indices count from the end, an `add` creates the missing maps on its path, a `remove` of a missing path does
 * nothing. Other errors (a failing `test`, a missing `replace` target) are thrown.
 */
export function applyJson6902(document: unknown, operations: readonly Operation[]): unknown {
  let doc = structuredClone(document) as Rec;
  for (const op of operations) {
    const path = resolveIndices(doc, op.path);
    if (op.op === 'remove' && !exists(doc, path)) continue;
    if (op.op === 'add') ensureParents(doc, path);
    const from = 'from' in op ? { from: resolveIndices(doc, op.from) } : {};
    doc = jsonPatch.applyOperation(doc, { ...op, path, ...from } as Operation, true, true).newDocument;
  }
  return doc;
}
