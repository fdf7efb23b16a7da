/** Helpers shared by the language catalogers. */
import type { CatalogContext } from './types.js';

export function parseJsonSafe(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** A sibling file from the view (e.g. package.json next to yarn.lock), if a cataloger asked for it. */
export function sibling(ctx: CatalogContext, path: string, name: string): Buffer | undefined {
  return ctx.view.read(join(dirOf(path), name));
}

export function isInsideNodeModules(path: string): boolean {
  return path.includes('node_modules/');
}

/** `@scope/name` → purl namespace and name. */
export function npmNameParts(name: string): { namespace?: string; name: string } {
  if (name.startsWith('@') && name.includes('/')) {
    const i = name.indexOf('/');
    return { namespace: name.slice(0, i), name: name.slice(i + 1) };
  }
  return { name };
}

/**
 * Packages reachable from the roots through `deps` (name → dependency names): what is not reachable from
 * production roots is a development dependency.
 */
export function reachable<T>(roots: Iterable<T>, deps: (key: T) => Iterable<T>): Set<T> {
  const seen = new Set<T>();
  const stack = [...roots];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const d of deps(k)) stack.push(d);
  }
  return seen;
}
