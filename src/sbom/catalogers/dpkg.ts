import { parseStanzas } from '../control-file.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** `Source: gcc-8 (8.3.0-6)` → name and version; the version defaults to the binary's. */
export function parseSource(field: string | undefined, version: string): { name?: string; version: string } {
  if (!field) return { version };
  const m = /^(\S+)(?:\s+\((.+)\))?$/.exec(field.trim());
  if (!m) return { version };
  return { name: m[1]!, version: m[2] ?? version };
}

/** dpkg: `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/<pkg>` (installed packages only). */
export const dpkg: Cataloger = {
  name: 'dpkg',
  kind: 'os',
  version: 1,
  type: 'deb',
  wants(path) {
    if (path === 'var/lib/dpkg/status') return { maxBytes: 64 * MiB };
    if (
      path.startsWith('var/lib/dpkg/status.d/') &&
      !path.endsWith('.md5sums') &&
      !path.slice(22).includes('/')
    )
      return { maxBytes: 8 * MiB };
    return undefined;
  },
  parse(file) {
    const found: Found[] = [];
    // distroless status.d stanzas carry no Status: being there means installed
    const needStatus = file.path.endsWith('/status');
    for (const s of parseStanzas(file.content.toString('utf8'))) {
      const name = s.Package;
      const version = s.Version;
      if (!name || !version) continue;
      const status = s.Status?.split(/\s+/);
      if (status ? status[2] !== 'installed' : needStatus) continue;
      const source = parseSource(s.Source, version);
      found.push({
        name,
        version,
        sourceName: source.name ?? name,
        sourceVersion: source.version,
        ...(s.Architecture ? { qualifiers: { arch: s.Architecture } } : {}),
      });
    }
    return found;
  },
};
