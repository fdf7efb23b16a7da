import { parse as parseYaml } from 'yaml';
import { type Cataloger, type Found, MiB } from '../types.js';

/** `AFNetworking/NSURLSession (4.0.1)` → name, version and, for a subspec, the subspec as subpath. */
export function podEntry(entry: string): Found | undefined {
  const m = /^([^\s(]+)\s+\(([^)]+)\)\s*$/.exec(entry.trim());
  if (!m) return undefined;
  const name = m[1]!;
  const version = m[2]!.trim();
  const slash = name.indexOf('/');
  if (slash === 0 || !version || /^[=<>~-]/.test(version)) return undefined;
  return { name, version, ...(slash > 0 ? { subpath: name.slice(slash + 1) } : {}) };
}

/**
 * CocoaPods: Podfile.lock `PODS`, each entry with its resolved version (an entry is a string or a map of the
 * pod to what it requires). A subspec keeps its name (`Firebase/Core`, as Trivy names it) and its purl is the
 * pod's with the subspec as subpath (`pkg:cocoapods/Firebase@10.0.0#Core`).
 */
export const cocoapods: Cataloger = {
  name: 'cocoapods',
  kind: 'lock',
  version: 1,
  type: 'cocoapods',
  wants: (path) =>
    path.endsWith('Podfile.lock') && /(?:^|\/)Podfile\.lock$/.test(path) ? { maxBytes: 8 * MiB } : undefined,
  parse(file) {
    const doc = parseYaml(file.content.toString('utf8')) as { PODS?: unknown } | null;
    const pods = Array.isArray(doc?.PODS) ? doc.PODS : [];
    const found: Found[] = [];
    for (const pod of pods) {
      const entries =
        typeof pod === 'string' ? [pod] : pod && typeof pod === 'object' ? Object.keys(pod) : [];
      for (const e of entries) {
        const f = podEntry(e);
        if (f) found.push(f);
      }
    }
    return found;
  },
};
