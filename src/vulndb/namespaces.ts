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
  if (key === 'ubuntu') {
    // 'Ubuntu:Pro:18.04:LTS', 'Ubuntu:Pro:FIPS:22.04:LTS': the streams before the release are namespaces of
    // their own, since their fixes reach only subscribers
    const streams = rest.map((p) => p.trim().toLowerCase()).filter((p) => p && !/^\d/.test(p) && p !== 'lts');
    return `deb/${['ubuntu', ...streams].join('-')}/${release || 'rolling'}`;
  }
  if (distro) return `${distro}/${release || 'rolling'}`;
  return ECOSYSTEMS[key] ?? key.replace(/\s+/g, '-');
}

/** Package names as each ecosystem compares them (PEP 503 for PyPI). */
export function normalizePackage(namespace: string, name: string): string {
  const trimmed = name.trim();
  if (namespace === 'pypi') return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
  return trimmed;
}

/**
 * The Red Hat Enterprise Linux stream a product name names: `9`, `8.6+eus` (Extended Update Support) or
 * `7+els` (Extended Lifecycle Support); undefined for other products (Satellite, Software Collections, the
 * Supplementary and Oracle Java channels…).
 * @example redhatPlatform('Red Hat Enterprise Linux 8.6 Extended Update Support') // '8.6+eus'
 */
export function redhatPlatform(productName: string): string | undefined {
  const name = productName.trim();
  const main = /^Red Hat Enterprise Linux\s*(\d+)$/.exec(name);
  if (main) return main[1];
  const eus = /^Red Hat Enterprise Linux (\d+\.\d+) Extended Update Support/.exec(name);
  if (eus) return `${eus[1]}+eus`;
  const els = /^Red Hat Enterprise Linux (\d+) Extended Lifecycle Support/.exec(name);
  if (els) return `${els[1]}+els`;
  return undefined;
}

/** `rpm/redhat/<stream>`: the namespace RHEL, CentOS and UBI images are matched in (by major release). */
export function redhatNamespace(platform: string): string {
  return `rpm/redhat/${platform}`;
}

/** Ubuntu's releases: codename → version, for the tracker's per-codename data. */
export const UBUNTU_RELEASES: Readonly<Record<string, string>> = {
  warty: '4.10',
  hoary: '5.04',
  breezy: '5.10',
  dapper: '6.06',
  edgy: '6.10',
  feisty: '7.04',
  gutsy: '7.10',
  hardy: '8.04',
  intrepid: '8.10',
  jaunty: '9.04',
  karmic: '9.10',
  lucid: '10.04',
  maverick: '10.10',
  natty: '11.04',
  oneiric: '11.10',
  precise: '12.04',
  quantal: '12.10',
  raring: '13.04',
  saucy: '13.10',
  trusty: '14.04',
  utopic: '14.10',
  vivid: '15.04',
  wily: '15.10',
  xenial: '16.04',
  yakkety: '16.10',
  zesty: '17.04',
  artful: '17.10',
  bionic: '18.04',
  cosmic: '18.10',
  disco: '19.04',
  eoan: '19.10',
  focal: '20.04',
  groovy: '20.10',
  hirsute: '21.04',
  impish: '21.10',
  jammy: '22.04',
  kinetic: '22.10',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
  resolute: '26.04',
  stonking: '26.10',
};

/**
 * `deb/ubuntu/<version>` for a release, `deb/ubuntu-pro/<version>` for its Ubuntu Pro (ESM) stream, whose
 * fixes reach only Pro subscribers.
 */
export function ubuntuNamespace(version: string, pro = false): string {
  return `deb/${pro ? 'ubuntu-pro' : 'ubuntu'}/${version}`;
}
