/**
 * Namespaces name where a package lives: an ecosystem, or a distro and its release.
 * @example 'deb/debian/12', 'apk/alpine/3.10', 'npm', 'pypi', 'go', 'cargo', 'maven'
 */

/** Debian codenames and the release number a system reports (/etc/debian_version major). */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  buzz: '1.1',
  rex: '1.2',
  bo: '1.3',
  hamm: '2.0',
  slink: '2.1',
  potato: '2.2',
  woody: '3.0',
  sarge: '3.1',
  etch: '4',
  lenny: '5',
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
  sid: 'unstable',
  unstable: 'unstable',
};

/** `deb/debian/<release>` for a codename, or undefined for one nobody knows. */
export function debianNamespace(codename: string): string | undefined {
  const release = DEBIAN_RELEASES[codename.trim().toLowerCase()];
  return release ? `deb/debian/${release}` : undefined;
}

/** OSV ecosystem names → namespace. Distro ecosystems carry their release after ':'. */
const ECOSYSTEMS: Readonly<Record<string, string>> = {
  go: 'go',
  pypi: 'pypi',
  'crates.io': 'cargo',
  npm: 'npm',
  maven: 'maven',
  nuget: 'nuget',
  packagist: 'composer',
  rubygems: 'gem',
  hex: 'hex',
  pub: 'pub',
  swifturl: 'swift',
  hackage: 'hackage',
  cran: 'cran',
  'github actions': 'github-actions',
};

const DISTROS: Readonly<Record<string, string>> = {
  debian: 'deb/debian',
  ubuntu: 'deb/ubuntu',
  alpine: 'apk/alpine',
  wolfi: 'apk/wolfi',
  chainguard: 'apk/chainguard',
  minimos: 'apk/minimos',
  'rocky linux': 'rpm/rocky',
  almalinux: 'rpm/almalinux',
  'red hat': 'rpm/redhat',
  suse: 'rpm/suse',
  opensuse: 'rpm/opensuse',
  mageia: 'rpm/mageia',
};

/** The namespace of an OSV ecosystem string. @example ecosystemNamespace('Alpine:v3.18') // 'apk/alpine/3.18' */
export function ecosystemNamespace(ecosystem: string): string {
  const [head = '', ...rest] = ecosystem.split(':');
  const key = head.trim().toLowerCase();
  // 'Ubuntu:22.04:LTS', 'Ubuntu:Pro:18.04:LTS': the first part that starts with a digit is the release
  const release = (rest.find((p) => /^v?\d/.test(p.trim())) ?? rest[0] ?? '').trim().replace(/^v(?=\d)/, '');
  const distro = DISTROS[key];
  if (distro) return `${distro}/${release || 'rolling'}`;
  return ECOSYSTEMS[key] ?? key.replace(/\s+/g, '-');
}

/** Package names as each ecosystem compares them (PEP 503 for PyPI). */
export function normalizePackage(namespace: string, name: string): string {
  const trimmed = name.trim();
  if (namespace === 'pypi') return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
  return trimmed;
}
