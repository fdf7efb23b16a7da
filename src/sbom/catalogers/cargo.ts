import { parse as parseToml } from 'smol-toml';
import { reachable, sibling } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

type LockPkg = { name?: string; version?: string; dependencies?: string[] };

function toml(content: Buffer): Record<string, unknown> | undefined {
  try {
    return parseToml(content.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Rust: Cargo.lock `[[package]]` entries. With Cargo.toml beside it, what only the project's
 * dev-dependencies pull in is left out.
 */
export const cargo: Cataloger = {
  name: 'cargo',
  kind: 'lock',
  version: 1,
  type: 'cargo',
  wants: (path) => (/(?:^|\/)Cargo\.(?:lock|toml)$/.test(path) ? { maxBytes: 32 * MiB } : undefined),
  parse(file, ctx) {
    if (!file.path.endsWith('.lock')) return [];
    const doc = toml(file.content);
    const pkgs = ((doc?.package ?? []) as LockPkg[]).filter((p) => p.name && p.version);
    let keep: Set<LockPkg> | undefined;
    const manifestBytes = sibling(ctx, file.path, 'Cargo.toml');
    const manifest = manifestBytes ? toml(manifestBytes) : undefined;
    const rootName = (manifest?.package as { name?: string } | undefined)?.name;
    const root = pkgs.find((p) => p.name === rootName);
    if (root && !lockOptions.includeDev) {
      const dev = new Set(Object.keys((manifest?.['dev-dependencies'] ?? {}) as object));
      const find = (dep: string) => {
        const [name, version] = dep.split(' ');
        return pkgs.find((p) => p.name === name && (!version || p.version === version));
      };
      const rootDeps = (root.dependencies ?? []).filter((d) => !dev.has(d.split(' ')[0]!));
      keep = reachable([root, ...rootDeps.map(find).filter((p): p is LockPkg => !!p)], (p) =>
        p === root ? [] : (p.dependencies ?? []).map(find).filter((x): x is LockPkg => !!x),
      );
    }
    const found: Found[] = [];
    for (const p of pkgs) if (!keep || keep.has(p)) found.push({ name: p.name!, version: p.version! });
    return found;
  },
};
