import { parse as parseYaml } from 'yaml';
import { type Cataloger, type Found, MiB } from '../types.js';

/**
 * Dart and Flutter: pubspec.lock `packages`, each with its locked version. pub does not tell which
 * transitive packages only development dependencies pull in, so all are reported; SDK packages (`flutter`)
 * keep the `0.0.0` the lock file gives them.
 */
export const pub: Cataloger = {
  name: 'pub',
  kind: 'lock',
  version: 1,
  type: 'pub',
  wants: (path) =>
    path.endsWith('pubspec.lock') && /(?:^|\/)pubspec\.lock$/.test(path) ? { maxBytes: 8 * MiB } : undefined,
  parse(file) {
    const doc = parseYaml(file.content.toString('utf8')) as { packages?: unknown } | null;
    const packages = doc?.packages && typeof doc.packages === 'object' ? doc.packages : {};
    const found: Found[] = [];
    for (const [name, p] of Object.entries(packages as Record<string, { version?: unknown }>)) {
      const version = p?.version;
      if (typeof version === 'string' && version) found.push({ name, version });
    }
    return found;
  },
};
