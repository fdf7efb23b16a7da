import { lookupTable } from '../core/lookup-table.js';
import { decodePercent } from '../core/percent.js';
import { isOsPackageType } from '../core/results.js';
import type { Package } from '../sbom/types.js';
import { schemeFor, type VersionScheme } from '../vulndb/index.js';

/** OS family (as OS detection names it) → namespace prefix and the vendor whose rating counts first. */
const OS_NAMESPACES: Readonly<Record<string, { prefix: string; vendor: string }>> = lookupTable({
  debian: { prefix: 'deb/debian', vendor: 'debian' },
  ubuntu: { prefix: 'deb/ubuntu', vendor: 'ubuntu' },
  alpine: { prefix: 'apk/alpine', vendor: 'alpine' },
  wolfi: { prefix: 'apk/wolfi', vendor: 'wolfi' },
  chainguard: { prefix: 'apk/chainguard', vendor: 'chainguard' },
  minimos: { prefix: 'apk/minimos', vendor: 'minimos' },
  centos: { prefix: 'rpm/redhat', vendor: 'redhat' },
  redhat: { prefix: 'rpm/redhat', vendor: 'redhat' },
  rocky: { prefix: 'rpm/rocky', vendor: 'rocky' },
  alma: { prefix: 'rpm/almalinux', vendor: 'alma' },
  oracle: { prefix: 'rpm/oracle', vendor: 'oracle-oval' },
  amazon: { prefix: 'rpm/amazon', vendor: 'amazon' },
  photon: { prefix: 'rpm/photon', vendor: 'photon' },
  'opensuse-leap': { prefix: 'rpm/opensuse-leap', vendor: 'suse-cvrf' },
  'opensuse-tumbleweed': { prefix: 'rpm/opensuse-tumbleweed', vendor: 'suse-cvrf' },
  sles: { prefix: 'rpm/suse', vendor: 'suse-cvrf' },
  slem: { prefix: 'rpm/suse-micro', vendor: 'suse-cvrf' },
  'cbl-mariner': { prefix: 'rpm/mariner', vendor: 'cbl-mariner' },
  azurelinux: { prefix: 'rpm/azurelinux', vendor: 'azurelinux' },
  fedora: { prefix: 'rpm/fedora', vendor: 'fedora' },
});

const CASE_INSENSITIVE = new Set(['nuget', 'composer']);

/** purl type → ecosystem namespace of language packages. */
const LANGUAGE_NAMESPACES: Readonly<Record<string, string>> = lookupTable({
  npm: 'npm',
  pypi: 'pypi',
  golang: 'go',
  maven: 'maven',
  cargo: 'cargo',
  gem: 'gem',
  nuget: 'nuget',
  composer: 'composer',
  hex: 'hex',
  swift: 'swift',
  pub: 'pub',
  conan: 'conan',
  cocoapods: 'cocoapods',
  hackage: 'hackage',
  k8s: 'k8s',
});

/** Distro namespace for an OS, e.g. `deb/debian/10`; undefined for an OS Bulkhead has no advisories for. */
export function osNamespace(os: { family: string; version: string } | undefined): string | undefined {
  if (!os) return undefined;
  const entry = OS_NAMESPACES[os.family];
  if (!entry) return undefined;
  const rolling = ['wolfi', 'chainguard', 'minimos', 'opensuse-tumbleweed'].includes(os.family);
  return `${entry.prefix}/${rolling ? 'rolling' : os.version}`;
}

/** Every distribution vendor whose severity words Bulkhead can hold (`--vuln-severity-source` names). */
export function osVendors(): string[] {
  return [...new Set(Object.values(OS_NAMESPACES).map((e) => e.vendor))];
}

/** The vendor id whose own severity comes first for this OS (`debian`, `ubuntu`, `redhat`…). */
export function osVendor(os: { family: string } | undefined): string | undefined {
  return os ? OS_NAMESPACES[os.family]?.vendor : undefined;
}

/** Ecosystem namespace of a language package type (`npm`, `pypi`, `go`…), undefined for one without advisories. */
export function languageNamespace(type: string): string | undefined {
  return LANGUAGE_NAMESPACES[type];
}

/** One lookup in the advisory store for one package: which namespace, names and version to compare. */
export interface PackageQuery {
  namespace: string;
  /** Names the advisories may be keyed by, most specific first (source package, then binary). */
  names: string[];
  /** The version compared with the advisories' ranges. */
  version: string;
  os: boolean;
}

function withEpoch(version: string, epochOf: string): string {
  const epoch = /^(\d+):/.exec(epochOf)?.[1];
  return epoch && !/^\d+:/.test(version) ? `${epoch}:${version}` : version;
}

/**
 * How a package is looked up. Debian/Ubuntu match on the source package with the source version, Alpine on
 * the origin, RPM distros on the binary name (Photon: the source name); language packages on
 * their ecosystem name (Maven as `group:artifact`).
 */
export function packageQuery(
  pkg: Package,
  os: { family: string; version: string } | undefined,
): PackageQuery | undefined {
  if (isOsPackageType(pkg.type)) {
    const namespace = osNamespace(os);
    if (!namespace) return undefined;
    if (pkg.type === 'rpm') {
      // RPM advisories (OVAL, CSAF, ALAS, SUSE CVRF, Alma/Rocky errata) name binary packages; Photon's name
      // source packages; Fedora's updates name builds (source packages): binary name first, then the source
      const names = namespace.startsWith('rpm/photon/')
        ? [pkg.sourceName ?? pkg.name]
        : namespace.startsWith('rpm/fedora/')
          ? [...new Set([pkg.name, pkg.sourceName ?? pkg.name])]
          : [pkg.name];
      return { namespace, names, version: pkg.version, os: true };
    }
    const version = pkg.sourceVersion ? withEpoch(pkg.sourceVersion, pkg.version) : pkg.version;
    return { namespace, names: [pkg.sourceName ?? pkg.name], version, os: true };
  }
  const namespace = LANGUAGE_NAMESPACES[pkg.type];
  if (!namespace) return undefined;
  let name = pkg.name;
  if (pkg.type === 'maven' && !name.includes(':')) {
    const m = /^pkg:maven\/([^/]+)\//.exec(pkg.purl);
    if (m?.[1]) name = `${decodePercent(m[1])}:${name}`;
  }
  // NuGet and Composer names are case-insensitive; feeds publish either spelling
  const names =
    CASE_INSENSITIVE.has(namespace) && name.toLowerCase() !== name ? [name, name.toLowerCase()] : [name];
  return { namespace, names, version: pkg.version, os: false };
}

/**
 * The version scheme of a namespace. Ecosystems with no scheme of their own (RubyGems, Composer, NuGet, Hex,
 * Swift, Pub…) are ordered with Maven's ComparableVersion, which orders dotted numbers with qualifiers
 * (`1.2.3.4`, `2.0.0.rc1`) the way those ecosystems publish them.
 */
export function schemeOf(namespace: string): VersionScheme | undefined {
  return schemeFor(namespace) ?? (namespace.includes('/') ? undefined : schemeFor('maven'));
}
