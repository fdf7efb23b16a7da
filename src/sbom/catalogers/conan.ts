import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Conan reference `name/version[@user/channel][#revision…]` → name and version. */
export function conanRef(ref: string): Found | undefined {
  const parts = ref.split('@')[0]!.split('#')[0]!.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { name: parts[0].trim(), version: parts[1].trim() };
}

/**
 * C/C++ Conan lock files. v1 (`graph_lock.nodes`): every node with a `ref` (the root, the consumer
 * conanfile, has none). v2 (`requires`, a list of references): the host requirements; `build_requires` and
 * `python_requires` are build tools and left out.
 */
export const conan: Cataloger = {
  name: 'conan',
  kind: 'lock',
  version: 1,
  type: 'conan',
  wants: (path) =>
    path.endsWith('conan.lock') && /(?:^|\/)conan\.lock$/.test(path) ? { maxBytes: 16 * MiB } : undefined,
  parse(file) {
    const doc = parseJsonSafe(file.content);
    if (!isObj(doc)) return [];
    const refs: unknown[] =
      isObj(doc.graph_lock) && isObj(doc.graph_lock.nodes)
        ? Object.values(doc.graph_lock.nodes).map((n) => (isObj(n) ? n.ref : undefined))
        : Array.isArray(doc.requires)
          ? doc.requires
          : [];
    const found: Found[] = [];
    for (const ref of refs) {
      const f = typeof ref === 'string' ? conanRef(ref) : undefined;
      if (f) found.push(f);
    }
    return found;
  },
};
