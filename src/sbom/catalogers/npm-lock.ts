import { isInsideNodeModules, parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

interface V1Dep {
  version?: string;
  dev?: boolean;
  bundled?: boolean;
  dependencies?: Record<string, V1Dep>;
}
interface V2Pkg {
  name?: string;
  version?: string;
  dev?: boolean;
  link?: boolean;
  license?: string;
}

/** Whether development dependencies are reported (default no, as scanners do). */
export const lockOptions = { includeDev: false };

/** package-lock.json / npm-shrinkwrap.json, lockfile versions 1 to 3. */
export const npmLock: Cataloger = {
  name: 'npm-lock',
  kind: 'lock',
  version: 1,
  type: 'npm',
  wants: (path) =>
    /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/.test(path) && !isInsideNodeModules(path)
      ? { maxBytes: 64 * MiB }
      : undefined,
  parse(file) {
    const lock = parseJsonSafe(file.content) as
      | {
          name?: string;
          version?: string;
          lockfileVersion?: number;
          packages?: Record<string, V2Pkg>;
          dependencies?: Record<string, V1Dep>;
        }
      | undefined;
    if (!lock || typeof lock !== 'object') return [];
    const found: Found[] = [];
    const seen = new Set<string>();
    const add = (name: string, version: string | undefined, dev: boolean | undefined, license?: string) => {
      if (!version || (dev && !lockOptions.includeDev)) return;
      if (/^(?:file|link|git|github|http|https):/.test(version)) return;
      const k = `${name}@${version}`;
      if (seen.has(k)) return;
      seen.add(k);
      found.push({ name, version, ...(license ? { licenses: [license] } : {}) });
    };
    // the project the lock file belongs to is the component, not one of its packages
    const root = lock.packages?.[''] ?? lock;
    const rootName = root.name ?? lock.name;
    if (typeof rootName === 'string' && rootName !== '')
      found.push({
        name: rootName,
        version: typeof root.version === 'string' ? root.version : '',
        own: true,
      });
    if (lock.packages && (lock.lockfileVersion ?? 2) >= 2) {
      for (const [key, p] of Object.entries(lock.packages)) {
        if (key === '' || p.link) continue;
        const i = key.lastIndexOf('node_modules/');
        const name = p.name ?? (i >= 0 ? key.slice(i + 'node_modules/'.length) : undefined);
        if (name) add(name, p.version, p.dev, p.license);
      }
    } else {
      const walk = (deps: Record<string, V1Dep> | undefined) => {
        for (const [name, d] of Object.entries(deps ?? {})) {
          add(name, d.version, d.dev);
          walk(d.dependencies);
        }
      };
      walk(lock.dependencies);
    }
    return found;
  },
};
