import { parse as parseYaml } from 'yaml';
import { type Cataloger, type Found, MiB } from '../types.js';

/** `AFNetworking/NSURLSession (4.0.1)` → pod, subspec and version. */
export function podEntry(entry: string): Found | undefined {
  const m = /^([^\s(]+)\s+\(([^)]+)\)\s*$/.exec(entry.trim());
  if (!m) return undefined;
  const [pod = '', ...sub] = m[1]!.split('/');
  const version = m[2]!.trim();
  if (!pod || !version || /^[=<>~-]/.test(version)) return undefined;
  return { name: pod, version, ...(sub.length ? { subpath: sub.join('/') } : {}) };
}

/**
 * CocoaPods: Podfile.lock `PODS`, each pod once with its resolved version (an entry is a string or a map of
 * the pod to what it requires). A subspec (`Firebase/Core`) is the pod with the subspec as purl subpath, as
 * advisories name the pod.
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
