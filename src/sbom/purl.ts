import { PackageURL } from 'packageurl-js';
import type { OsInfo, PurlType } from './types.js';

/** purl namespace of OS packages per family (Trivy/syft conventions). */
const OS_NAMESPACE: Record<string, string> = {
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  sles: 'suse',
  slem: 'suse',
};

export function osNamespace(os: OsInfo | undefined, type: PurlType): string | undefined {
  if (!os) return type === 'deb' ? 'debian' : type === 'apk' ? 'alpine' : undefined;
  return OS_NAMESPACE[os.family] ?? os.family;
}

/** The `distro` qualifier: `debian-10.1` for deb and rpm, the bare version for apk. */
export function distroQualifier(os: OsInfo | undefined, type: PurlType): string | undefined {
  if (!os) return undefined;
  const v = os.fullVersion ?? os.version;
  return type === 'apk' ? v : `${os.family}-${v}`;
}

export function buildPurl(
  type: PurlType,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
  subpath?: string,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== '') q[k] = v;
  const keys = Object.keys(q).sort();
  const sorted = keys.length ? Object.fromEntries(keys.map((k) => [k, q[k]!])) : undefined;
  const purl = new PackageURL(
    type,
    namespace || undefined,
    name,
    version || undefined,
    sorted,
    subpath || undefined,
  ).toString();
  // '+' in versions is percent-encoded, as packageurl-go (and so Trivy and grype) write it
  if (!version?.includes('+')) return purl;
  const end = purl.search(/[?#]/) < 0 ? purl.length : purl.search(/[?#]/);
  const at = purl.lastIndexOf('@', end);
  return `${purl.slice(0, at + 1)}${purl.slice(at + 1, end).replace(/\+/g, '%2B')}${purl.slice(end)}`;
}
