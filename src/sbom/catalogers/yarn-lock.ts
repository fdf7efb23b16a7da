import { parse as parseYaml } from 'yaml';
import { isInsideNodeModules, parseJsonSafe, reachable, sibling } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

interface Entry {
  name: string;
  version: string;
  specs: string[];
  deps: string[];
}

/** `"@a/b@^1", @a/b@~1.2` → package name of a descriptor. */
function descriptorName(spec: string): string {
  const s = spec.trim().replace(/^"|"$/g, '');
  const at = s.indexOf('@', 1);
  return at < 0 ? s : s.slice(0, at);
}

function parseV1(text: string): Entry[] {
  const entries: Entry[] = [];
  let cur: Entry | undefined;
  let inDeps = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      const specs = line
        .replace(/:$/, '')
        .split(/,\s*/)
        .map((s) => s.trim().replace(/^"|"$/g, ''));
      cur = { name: descriptorName(specs[0]!), version: '', specs, deps: [] };
      entries.push(cur);
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    const m = /^ {2}(\w+)(?::)?\s*(.*)$/.exec(line);
    if (m) {
      inDeps = m[1] === 'dependencies' || m[1] === 'optionalDependencies';
      if (m[1] === 'version') cur.version = m[2]!.replace(/^"|"$/g, '');
      continue;
    }
    const d = /^ {4}("?[^\s"]+"?)\s+"?([^"]+)"?$/.exec(line);
    if (d && inDeps) cur.deps.push(`${d[1]!.replace(/"/g, '')}@${d[2]}`);
  }
  return entries;
}

function parseBerry(text: string): Entry[] {
  const doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false, logLevel: 'error' }) as Record<
    string,
    { version?: string; dependencies?: Record<string, string>; resolution?: string }
  >;
  const entries: Entry[] = [];
  for (const [key, v] of Object.entries(doc ?? {})) {
    if (key === '__metadata' || !v || typeof v !== 'object' || !v.version) continue;
    if (/@(?:workspace|link|portal|patch):/.test(v.resolution ?? key)) continue;
    const specs = key.split(/,\s*/).map((s) => s.trim());
    const deps = Object.entries(v.dependencies ?? {}).map(
      ([n, r]) => `${n}@${r.includes(':') ? r : `npm:${r}`}`,
    );
    entries.push({ name: descriptorName(specs[0]!), version: String(v.version), specs, deps });
  }
  return entries;
}

/** yarn.lock, classic (v1) and berry; dev-only packages are left out when package.json is beside it. */
export const yarnLock: Cataloger = {
  name: 'yarn-lock',
  kind: 'lock',
  version: 1,
  type: 'npm',
  wants: (path) =>
    /(?:^|\/)(?:yarn\.lock|package\.json)$/.test(path) && !isInsideNodeModules(path)
      ? { maxBytes: 64 * MiB }
      : undefined,
  parse(file, ctx) {
    if (!file.path.endsWith('yarn.lock')) return [];
    const text = file.content.toString('utf8');
    const entries = text.includes('__metadata:') ? parseBerry(text) : parseV1(text);
    const bySpec = new Map<string, Entry>();
    for (const e of entries) for (const s of e.specs) bySpec.set(s, e);
    let keep: Set<Entry> | undefined;
    const manifest = sibling(ctx, file.path, 'package.json');
    const pkg = manifest
      ? (parseJsonSafe(manifest) as Record<string, Record<string, string> | undefined>)
      : undefined;
    if (pkg && !lockOptions.includeDev) {
      const roots = Object.entries({
        ...pkg.dependencies,
        ...pkg.optionalDependencies,
        ...pkg.peerDependencies,
      });
      const find = (spec: string) =>
        bySpec.get(spec) ?? bySpec.get(spec.replace(/@(?!npm:)([^@]*)$/, '@npm:$1'));
      const start = roots.map(([n, r]) => find(`${n}@${r}`)).filter((e): e is Entry => !!e);
      keep = reachable(start, (e) => e.deps.map(find).filter((x): x is Entry => !!x));
    }
    const found: Found[] = [];
    // the project of the package.json beside the lock is the component, not one of its packages
    const project = pkg as { name?: unknown; version?: unknown } | undefined;
    if (typeof project?.name === 'string' && project.name !== '')
      found.push({
        name: project.name,
        version: typeof project.version === 'string' ? project.version : '',
        own: true,
      });
    const seen = new Set<string>();
    for (const e of entries) {
      if (!e.version || (keep && !keep.has(e))) continue;
      const k = `${e.name}@${e.version}`;
      if (seen.has(k)) continue;
      seen.add(k);
      found.push({ name: e.name, version: e.version });
    }
    return found;
  },
};
