import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { go } from './go.js';
import { maven } from './maven.js';
import { npm } from './npm.js';
import { pep440 } from './pep440.js';
import { rpm } from './rpm.js';
import { semver } from './semver.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';

/** Every version scheme, alphabetically. Adding one = one file + one line. */
export const VERSION_SCHEMES: readonly VersionScheme[] = [apk, dpkg, go, maven, npm, pep440, rpm, semver];

const ALIASES: Readonly<Record<string, string>> = {
  golang: 'go',
  'crates.io': 'cargo',
  pypi: 'pypi',
  python: 'pypi',
  deb: 'deb/',
  debian: 'deb/',
  ubuntu: 'deb/',
  alpine: 'apk/',
  wolfi: 'apk/',
  chainguard: 'apk/',
  rpm: 'rpm/',
};

/**
 * The scheme for a namespace (`deb/debian/12`, `apk/alpine/3.10`, `npm`, `pypi`, `go`, `cargo`, `maven`) or
 * an OSV ecosystem / purl type (`Debian:12`, `crates.io`, `golang`); undefined when none serves it.
 * @example schemeFor('deb/debian/12')?.name // 'dpkg'
 */
export function schemeFor(namespaceOrEcosystem: string): VersionScheme | undefined {
  const raw = namespaceOrEcosystem.trim();
  const lower = raw.toLowerCase();
  const key = ALIASES[lower.split(':')[0]!] ?? lower;
  return VERSION_SCHEMES.find((s) =>
    s.namespaces.some((n) => (n.endsWith('/') ? key.startsWith(n) : key === n)),
  );
}
