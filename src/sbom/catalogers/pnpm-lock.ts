import { parse as parseYaml } from 'yaml';
import { isInsideNodeModules } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

/** `/name/1.0.0_peer`, `/@s/n/1.0.0`, `/name@1.0.0(peer)`, `name@1.0.0` → name and version. */
export function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  const k = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = k.indexOf('@', 1);
  if (at > 0 && !k.slice(0, at).includes('/', k.startsWith('@') ? k.indexOf('/') + 1 : 0)) {
    return { name: k.slice(0, at), version: k.slice(at + 1) };
  }
  const parts = k.split('/');
  const version = parts.pop()?.replace(/_.*$/, '');
  if (!version) return undefined;
  return { name: parts.join('/'), version };
}

/** pnpm-lock.yaml v5 to v9. */
export const pnpmLock: Cataloger = {
  name: 'pnpm-lock',
  kind: 'lock',
  version: 1,
  type: 'npm',
  wants: (path) =>
    /(?:^|\/)pnpm-lock\.yaml$/.test(path) && !isInsideNodeModules(path) ? { maxBytes: 64 * MiB } : undefined,
  parse(file) {
    const found: Found[] = [];
    const seen = new Set<string>();
    let docs: unknown[];
    try {
      const text = file.content.toString('utf8');
      docs = text.includes('\n---')
        ? text
            .split(/^---$/m)
            .map((d) => parseYaml(d, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' }))
        : [parseYaml(text, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' })];
    } catch {
      return [];
    }
    for (const doc of docs as {
      packages?: Record<string, { dev?: boolean; version?: string; name?: string } | null>;
    }[]) {
      for (const [key, v] of Object.entries(doc?.packages ?? {})) {
        if (v?.dev === true && !lockOptions.includeDev) continue;
        const parsed = parsePnpmKey(key);
        const name = v?.name ?? parsed?.name;
        const version = v?.version ?? parsed?.version;
        if (!name || !version || !/^\d/.test(version)) continue;
        const k = `${name}@${version}`;
        if (seen.has(k)) continue;
        seen.add(k);
        found.push({ name, version });
      }
    }
    return found;
  },
};
