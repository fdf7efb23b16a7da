import { parseJsonSafe } from '../lang.js';
import { type Cataloger, type Found, MiB } from '../types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A repository URL as Swift advisories name packages (GHSA's SwiftURL ecosystem): host and path, without
 * scheme, user and `.git`. `https://github.com/apple/swift-nio.git`, `git@github.com:apple/swift-nio.git`
 * → `github.com/apple/swift-nio`.
 */
export function swiftPackageName(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@([^:/]+):/, '$1/')
    .replace(/^[^@/]+@/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/**
 * Swift Package Manager: Package.resolved v1 (`object.pins[].repositoryURL`) and v2/v3 (`pins[].location`).
 * Pins on a branch or a bare revision have no released version to compare and are left out.
 */
export const swift: Cataloger = {
  name: 'swift',
  kind: 'lock',
  version: 1,
  type: 'swift',
  wants: (path) => (/(?:^|\/)Package\.resolved$/.test(path) ? { maxBytes: 8 * MiB } : undefined),
  parse(file) {
    const doc = parseJsonSafe(file.content);
    if (!isObj(doc)) return [];
    const pins = isObj(doc.object) ? doc.object.pins : doc.pins;
    const found: Found[] = [];
    for (const pin of Array.isArray(pins) ? pins : []) {
      if (!isObj(pin) || !isObj(pin.state)) continue;
      const url = typeof pin.location === 'string' ? pin.location : pin.repositoryURL;
      const version = pin.state.version;
      if (typeof url !== 'string' || typeof version !== 'string' || !version) continue;
      const name = swiftPackageName(url);
      const slash = name.lastIndexOf('/');
      found.push({ name, version, ...(slash > 0 ? { namespace: name.slice(0, slash) } : {}) });
    }
    return found;
  },
};
