import { type Cataloger, type Found, MiB } from '../types.js';

// `"key": {:hex, :package, "version", "checksum", [...], [...], "hexpm", "checksum"},`
const HEX_ENTRY = /^\s*"?[^"\s:]+"?:\s*\{\s*:hex,\s*:"?([\w.-]+)"?\s*,\s*"([^"]+)"/;

/**
 * Elixir: mix.lock, a map literal with one dependency per line. Hex packages are reported by their Hex name
 * (the atom, which differs from the key for aliased dependencies); git and path dependencies have no Hex
 * version and are left out.
 */
export const mixLock: Cataloger = {
  name: 'mix-lock',
  kind: 'lock',
  version: 1,
  type: 'hex',
  wants: (path) => (/(?:^|\/)mix\.lock$/.test(path) ? { maxBytes: 8 * MiB } : undefined),
  parse(file) {
    const found: Found[] = [];
    for (const line of file.content.toString('utf8').split(/\r?\n/)) {
      const m = HEX_ENTRY.exec(line);
      if (m) found.push({ name: m[1]!, version: m[2]! });
    }
    return found;
  },
};
