import { isInsideNodeModules, reachable } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

type Deps = Record<string, string>;
type Entry = [
  string,
  string?,
  { dependencies?: Deps; optionalDependencies?: Deps; peerDependencies?: Deps }?,
  string?,
];

/** bun.lock is JSON with trailing commas. */
function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

function splitId(id: string): { name: string; version: string } | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: id.slice(0, at), version: id.slice(at + 1) };
}

/** Bun's text lock file (bun.lock): packages reachable from the workspace's non-dev dependencies. */
export const bunLock: Cataloger = {
  name: 'bun-lock',
  kind: 'lock',
  version: 1,
  type: 'npm',
  wants: (path) =>
    /(?:^|\/)bun\.lock$/.test(path) && !isInsideNodeModules(path) ? { maxBytes: 64 * MiB } : undefined,
  parse(file) {
    const doc = parseJsonc(file.content.toString('utf8')) as
      | {
          workspaces?: Record<
            string,
            {
              dependencies?: Deps;
              optionalDependencies?: Deps;
              peerDependencies?: Deps;
              devDependencies?: Deps;
            }
          >;
          packages?: Record<string, Entry>;
        }
      | undefined;
    const packages = doc?.packages ?? {};
    const resolve = (from: string | undefined, dep: string) =>
      from && packages[`${from}/${dep}`] ? `${from}/${dep}` : packages[dep] ? dep : undefined;
    const depsOf = (key: string) => {
      const meta = packages[key]?.[2] ?? {};
      return Object.keys({ ...meta.dependencies, ...meta.optionalDependencies, ...meta.peerDependencies })
        .map((d) => resolve(key, d))
        .filter((k): k is string => !!k);
    };
    const roots = Object.values(doc?.workspaces ?? {}).flatMap((w) =>
      Object.keys({
        ...w.dependencies,
        ...w.optionalDependencies,
        ...w.peerDependencies,
        ...(lockOptions.includeDev ? w.devDependencies : {}),
      }),
    );
    const keep = reachable(
      roots.map((r) => resolve(undefined, r)).filter((k): k is string => !!k),
      depsOf,
    );
    const found: Found[] = [];
    const seen = new Set<string>();
    for (const key of keep) {
      const id = packages[key]?.[0];
      const parsed = typeof id === 'string' ? splitId(id) : undefined;
      if (!parsed || !/^\d/.test(parsed.version) || seen.has(id!)) continue;
      seen.add(id!);
      found.push(parsed);
    }
    return found;
  },
};
