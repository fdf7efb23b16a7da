import { isOsPackageType } from '../core/results.js';
import { type FileTap, FileView, type TapFn } from '../image/file-view.js';
import { type Cataloger, MiB, type Package } from './types.js';

/** Larger package databases are not read layer by layer: their packages keep the layer of the final database. */
const MAX_TAPPED_BYTES = 64 * MiB;

/**
 * Which layer first installed each OS package. A package database (`dpkg/status`, `apk/db/installed`, the rpm
 * database) is rewritten whole by every layer that installs a package, so the final file's layer names the last
 * installer, not the package's: this reads every layer's copy and keeps, per name and version, the first layer
 * that lists it (as Trivy attributes OS packages).
 */
export function osPackageLayers(catalogers: readonly Cataloger[]): {
  tap: TapFn;
  /** `packages` with each OS package's `layer` set to the first layer that listed it. */
  attribute(packages: Package[], layers: readonly string[]): Package[];
} {
  const os = catalogers.filter((c) => c.kind === 'os');
  const first = new Map<string, number>();
  const key = (name: string, version: string) => `${name}\0${version}`;
  const tap: TapFn = (path, info, layer) => {
    const cataloger = os.find((c) => c.wants(path, info));
    if (!cataloger || info.size > MAX_TAPPED_BYTES) return undefined;
    const chunks: Buffer[] = [];
    return {
      push: (c) => chunks.push(c),
      end() {
        try {
          const found = cataloger.parse(
            { path, content: Buffer.concat(chunks) },
            { os: undefined, view: new FileView(), source: false },
          );
          for (const f of found) {
            const k = key(f.name, f.version);
            if (!first.has(k) || first.get(k)! > layer) first.set(k, layer);
          }
        } catch {
          // the final database's parse reports what is wrong with it
        }
      },
    } satisfies FileTap;
  };
  return {
    tap,
    attribute: (packages, layers) =>
      packages.map((p) => {
        const at = isOsPackageType(p.type) ? first.get(key(p.name, p.version)) : undefined;
        return at !== undefined && layers[at] ? { ...p, layer: layers[at] } : p;
      }),
  };
}

/** Both taps on the same stream of files. */
export function bothTaps(a: TapFn | undefined, b: TapFn): TapFn {
  if (!a) return b;
  return (path, info, layer) => {
    const x = a(path, info, layer);
    const y = b(path, info, layer);
    if (!x) return y;
    if (!y) return x;
    return {
      push: (c) => {
        x.push(c);
        y.push(c);
      },
      end: () => {
        x.end();
        y.end();
      },
    };
  };
}
