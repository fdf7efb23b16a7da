import { parse as parseToml } from 'smol-toml';
import { type Cataloger, type Found, MiB } from '../types.js';

/** Rust: Cargo.lock `[[package]]` entries. */
export const cargo: Cataloger = {
  name: 'cargo',
  type: 'cargo',
  wants: (path) => (/(?:^|\/)Cargo\.lock$/.test(path) ? { maxBytes: 32 * MiB } : undefined),
  parse(file) {
    let doc: { package?: { name?: string; version?: string }[] };
    try {
      doc = parseToml(file.content.toString('utf8')) as typeof doc;
    } catch {
      return [];
    }
    const found: Found[] = [];
    for (const p of doc.package ?? [])
      if (p.name && p.version) found.push({ name: p.name, version: p.version });
    return found;
  },
};
