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
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== '') q[k] = v;
  const keys = Object.keys(q).sort();
  const sorted = keys.length ? Object.fromEntries(keys.map((k) => [k, q[k]!])) : undefined;
  return new PackageURL(
    type,
    namespace || undefined,
    name,
    version || undefined,
    sorted,
    undefined,
  ).toString();
}
