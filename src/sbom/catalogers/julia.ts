import { parse as parseToml } from 'smol-toml';
import { type Cataloger, type Found, MiB } from '../types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Julia: Manifest.toml, format 2 (`[[deps.Name]]`, with `julia_version`) and format 1 (`[[Name]]`). A name
 * may appear with several UUIDs: the purl keeps them apart with the `uuid` qualifier. Standard-library
 * entries carry no version of their own: they are the Julia release's (`julia_version`); without one they
 * are left out.
 */
export const julia: Cataloger = {
  name: 'julia',
  kind: 'lock',
  version: 1,
  type: 'julia',
  wants: (path) =>
    /(?:^|\/)(?:Julia)?Manifest(?:-v[\d.]+)?\.toml$/.test(path) ? { maxBytes: 16 * MiB } : undefined,
  parse(file) {
    let doc: Json;
    try {
      doc = parseToml(file.content.toString('utf8')) as Json;
    } catch {
      return [];
    }
    const v2 = isObj(doc.deps) && typeof doc.manifest_format === 'string';
    const deps = v2 ? (doc.deps as Json) : doc;
    const juliaVersion = typeof doc.julia_version === 'string' ? doc.julia_version : undefined;
    const found: Found[] = [];
    for (const [name, entries] of Object.entries(deps)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) {
        if (!isObj(e)) continue;
        const version = typeof e.version === 'string' ? e.version : juliaVersion;
        if (!version) continue;
        const uuid = typeof e.uuid === 'string' ? e.uuid : undefined;
        found.push({ name, version, ...(uuid ? { qualifiers: { uuid } } : {}) });
      }
    }
    return found;
  },
};
