import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';
import { lockOptions } from './npm-lock.js';

type ComposerPkg = { name?: string; version?: string; license?: string[] };

function toFound(p: ComposerPkg): Found | undefined {
  if (!p?.name || !p.version) return undefined;
  const version = p.version.replace(/^v(?=\d)/, '');
  return { name: p.name, version, ...(p.license?.length ? { licenses: p.license } : {}) };
}

/** PHP: composer.lock and the installed `vendor/composer/installed.json`. */
export const composer: Cataloger = {
  name: 'composer',
  kind: 'installed',
  version: 1,
  type: 'composer',
  wants: (path) =>
    /(?:^|\/)(?:composer\.lock|vendor\/composer\/installed\.json)$/.test(path) ||
    /(?:^|\/)installed\.json$/.test(path)
      ? { maxBytes: 32 * MiB }
      : undefined,
  parse(file) {
    const doc = parseJsonSafe(file.content) as
      | { packages?: ComposerPkg[]; 'packages-dev'?: ComposerPkg[] }
      | ComposerPkg[]
      | undefined;
    if (!doc) return [];
    let pkgs: ComposerPkg[];
    if (Array.isArray(doc)) pkgs = doc;
    else if (file.path.endsWith('installed.json')) pkgs = doc.packages ?? [];
    else pkgs = [...(doc.packages ?? []), ...(lockOptions.includeDev ? (doc['packages-dev'] ?? []) : [])];
    if (!Array.isArray(pkgs)) return [];
    return pkgs.map(toFound).filter((f): f is Found => !!f);
  },
};
