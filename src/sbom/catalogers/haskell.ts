import { parse as parseYaml } from 'yaml';
import { baseOf } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** A Hackage package id `name-1.2.3` (with an optional `@sha256:…,size` pin) → name and version. */
export function hackageId(id: string): Found | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9-]*?)-(\d+(?:\.\d+)*)(?:@.*)?$/.exec(id.trim());
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

/** cabal.project.freeze `constraints:` entries `any.name ==1.2.3` (flag entries `name +flag` are not versions). */
function cabalFreeze(text: string): Found[] {
  const found: Found[] = [];
  for (const m of text.matchAll(/(?:^|[\s,:])(?:any\.)?([A-Za-z0-9][A-Za-z0-9-]*)\s*==\s*(\d+(?:\.\d+)*)/g))
    found.push({ name: m[1]!, version: m[2]! });
  return found;
}

/** stack.yaml.lock `packages[].completed.hackage`; stack.yaml `extra-deps` given as Hackage ids. */
function stack(text: string, lock: boolean): Found[] {
  const doc = parseYaml(text) as Record<string, unknown> | null;
  const entries = (lock ? doc?.packages : doc?.['extra-deps']) ?? [];
  const found: Found[] = [];
  for (const e of Array.isArray(entries) ? entries : []) {
    const id = lock ? (e as { completed?: { hackage?: unknown } })?.completed?.hackage : e;
    const f = typeof id === 'string' ? hackageId(id) : undefined;
    if (f) found.push(f);
  }
  return found;
}

const FILES = new Set(['cabal.project.freeze', 'stack.yaml.lock', 'stack.yaml']);

/** Haskell: cabal.project.freeze, stack.yaml.lock and the pinned `extra-deps` of stack.yaml (Hackage packages). */
export const haskell: Cataloger = {
  name: 'haskell',
  kind: 'lock',
  version: 1,
  type: 'hackage',
  wants: (path) =>
    (path.endsWith('.freeze') || path.endsWith('stack.yaml') || path.endsWith('stack.yaml.lock')) &&
    FILES.has(baseOf(path))
      ? { maxBytes: 8 * MiB }
      : undefined,
  parse(file) {
    const name = baseOf(file.path);
    const text = file.content.toString('utf8');
    if (name === 'cabal.project.freeze') return cabalFreeze(text);
    return stack(text, name === 'stack.yaml.lock');
  },
};
