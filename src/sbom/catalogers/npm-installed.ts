import { npmNameParts, parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

const PACKAGE_JSON = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

export function npmLicenses(pkg: { license?: unknown; licenses?: unknown }): string[] | undefined {
  if (typeof pkg.license === 'string' && pkg.license) return [pkg.license];
  if (pkg.license && typeof pkg.license === 'object' && 'type' in pkg.license)
    return [String(pkg.license.type)];
  if (Array.isArray(pkg.licenses))
    return pkg.licenses
      .map((l) => (typeof l === 'string' ? l : String((l as { type?: string }).type ?? '')))
      .filter(Boolean);
  return undefined;
}

/** npm packages installed in a node_modules tree (each `node_modules/<name>/package.json`). */
export const npmInstalled: Cataloger = {
  name: 'npm-installed',
  kind: 'installed',
  version: 1,
  type: 'npm',
  wants: (path) => (PACKAGE_JSON.test(path) ? { maxBytes: 4 * MiB } : undefined),
  parse(file) {
    const pkg = parseJsonSafe(file.content) as
      | { name?: unknown; version?: unknown; license?: unknown }
      | undefined;
    if (!pkg || typeof pkg.name !== 'string' || typeof pkg.version !== 'string' || !pkg.name || !pkg.version)
      return [];
    const licenses = npmLicenses(pkg);
    const parts = npmNameParts(pkg.name);
    const found: Found = { name: pkg.name, version: pkg.version, ...(licenses ? { licenses } : {}) };
    if (parts.namespace) found.namespace = parts.namespace;
    return [found];
  },
};
