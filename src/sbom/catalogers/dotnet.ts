import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** Central package management: `<PackageVersion Include="X" Version="1.2.3" />`. */
function packagesProps(xml: string): Found[] {
  const found: Found[] = [];
  for (const m of xml.matchAll(/<PackageVersion\b([^>]*)\/?>/g)) {
    const attrs = m[1]!;
    const name = /\bInclude\s*=\s*"([^"]+)"/.exec(attrs)?.[1];
    const version = /\bVersion\s*=\s*"([^"$]+)"/.exec(attrs)?.[1];
    if (name && version) found.push({ name, version });
  }
  return found;
}

/** .NET: `*.deps.json` libraries of type `package`, packages.lock.json, Directory.Packages.props. */
export const dotnet: Cataloger = {
  name: 'dotnet',
  kind: 'installed',
  version: 1,
  type: 'nuget',
  wants: (path) =>
    /(?:\.deps\.json|(?:^|\/)packages\.lock\.json|(?:^|\/)Directory\.Packages\.props)$/.test(path)
      ? { maxBytes: 32 * MiB }
      : undefined,
  parse(file) {
    if (file.path.endsWith('.props')) return packagesProps(file.content.toString('utf8'));
    const doc = parseJsonSafe(file.content) as
      | {
          libraries?: Record<string, { type?: string }>;
          dependencies?: Record<string, Record<string, { type?: string; resolved?: string }>>;
        }
      | undefined;
    if (!doc) return [];
    const found: Found[] = [];
    const seen = new Set<string>();
    if (file.path.endsWith('.deps.json')) {
      for (const [key, lib] of Object.entries(doc.libraries ?? {})) {
        if (lib?.type !== 'package') continue;
        const slash = key.lastIndexOf('/');
        if (slash <= 0) continue;
        const k = key;
        if (seen.has(k)) continue;
        seen.add(k);
        found.push({ name: key.slice(0, slash), version: key.slice(slash + 1) });
      }
      return found;
    }
    for (const target of Object.values(doc.dependencies ?? {}))
      for (const [name, d] of Object.entries(target ?? {})) {
        if (d?.type === 'Project' || !d?.resolved) continue;
        const k = `${name}/${d.resolved}`;
        if (seen.has(k)) continue;
        seen.add(k);
        found.push({ name, version: d.resolved });
      }
    return found;
  },
};
