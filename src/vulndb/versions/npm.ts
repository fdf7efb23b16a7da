import semverLib from 'semver';
import { rangeMatcher } from './range.js';
import type { VersionScheme } from './types.js';

const OPTIONS = { loose: true, includePrerelease: true } as const;

function compare(a: string, b: string): number {
  const x = semverLib.parse(a, OPTIONS);
  const y = semverLib.parse(b, OPTIONS);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  return x.compare(y);
}

/** node-semver ranges (`^1.2.3 || >=2 <2.4`, `1.x`, hyphen ranges); pre-releases are included in ranges. */
export const npm = {
  name: 'npm',
  description: 'npm packages and Node.js: node-semver versions and ranges',
  namespaces: ['npm', 'nodejs'],
  valid: (v: string) => semverLib.valid(v, OPTIONS) !== null,
  compare,
  inRange: rangeMatcher(compare, (v, r) => {
    const version = semverLib.parse(v, OPTIONS);
    return version !== null && semverLib.satisfies(version, r, OPTIONS);
  }),
} satisfies VersionScheme;
