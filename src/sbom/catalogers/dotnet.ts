import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** .NET: `*.deps.json` libraries of type `package` (and packages.lock.json). */
export const dotnet: Cataloger = {
  name: 'dotnet',
  type: 'nuget',
  wants: (path) =>
    /(?:\.deps\.json|(?:^|\/)packages\.lock\.json)$/.test(path) ? { maxBytes: 32 * MiB } : undefined,
  parse(file) {
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
