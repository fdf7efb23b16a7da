import semverLib from 'semver';
import { rangeMatcher } from './range.js';
import type { VersionScheme } from './types.js';

const OPTIONS = { loose: true, includePrerelease: true } as const;

function compare(a: string, b: string): number {
  const x = semverLib.parse(a, OPTIONS) ?? semverLib.coerce(a, OPTIONS);
  const y = semverLib.parse(b, OPTIONS) ?? semverLib.coerce(b, OPTIONS);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  return x.compare(y);
}

/** Cargo requirements (`>= 1.2.3, < 1.3`, bare `1.2` = `^1.2`) as node-semver ranges. */
export function cargoRequirement(req: string): string {
  return req
    .split(',')
    .map((part) => {
      const p = part.trim();
      if (p === '*' || p === '') return '*';
      return /^[0-9]/.test(p) ? `^${p}` : p.replace(/^=\s*/, '').replace(/\s+/g, '');
    })
    .join(' ');
}

function satisfies(v: string, range: string): boolean {
  const version = semverLib.parse(v, OPTIONS) ?? semverLib.coerce(v, OPTIONS);
  if (!version) return false;
  return semverLib.satisfies(version, range, OPTIONS);
}

/**
 * SemVer 2.0 (semver.org precedence; build metadata ignored). Ranges are Cargo requirements, the syntax of
 * the ecosystem this scheme serves (crates.io).
 */
export const semver = {
  name: 'semver',
  description: 'SemVer 2.0 precedence; Cargo requirement ranges (crates.io)',
  namespaces: ['cargo', 'semver'],
  valid: (v: string) => semverLib.valid(v, { loose: false }) !== null,
  compare,
  inRange: rangeMatcher(compare, (v, r) => satisfies(v, cargoRequirement(r))),
} satisfies VersionScheme;
