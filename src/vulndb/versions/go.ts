import { comparatorRange, compareDigits, rangeMatcher } from './range.js';
import type { VersionScheme } from './types.js';

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  prerelease: string;
}

const SEMVER =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?(\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const TOOLCHAIN = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/;

/**
 * Parse like golang.org/x/mod/semver: a `v` prefix (added when missing, as OSV writes Go versions without
 * it), `v1` = v1.0.0 and `v1.2` = v1.2.0 only without pre-release or build, build metadata such as
 * `+incompatible` ignored. Go toolchain names (`go1.21rc2`) map onto their release order.
 */
function parse(input: string): GoVersion | undefined {
  let v = input.trim();
  const toolchain = TOOLCHAIN.exec(v);
  if (toolchain) {
    const [, maj, min, pat, kind, n] = toolchain;
    return { major: maj!, minor: min!, patch: pat ?? '0', prerelease: kind ? `-${kind}.${n}` : '' };
  }
  if (!v.startsWith('v')) v = `v${v}`;
  const m = SEMVER.exec(v);
  if (!m) return undefined;
  const [, major, minor, patch, prerelease, build] = m;
  if ((minor === undefined || patch === undefined) && (prerelease || build)) return undefined;
  return { major: major!, minor: minor ?? '0', patch: patch ?? '0', prerelease: prerelease ?? '' };
}

function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const a = x.slice(1).split('.');
  const b = y.slice(1).split('.');
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return compareDigits(p, q);
    if (pn) return -1;
    if (qn) return 1;
    return p < q ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Invalid versions sort before valid ones and equal to each other (x/mod/semver.Compare). */
function compare(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return (
    compareDigits(x.major, y.major) ||
    compareDigits(x.minor, y.minor) ||
    compareDigits(x.patch, y.patch) ||
    comparePrerelease(x.prerelease, y.prerelease)
  );
}

/** Go modules: semantic versions with `v`, pseudo-versions, `+incompatible`; Go toolchain releases. */
export const go = {
  name: 'go',
  description: 'Go modules and toolchains (golang.org/x/mod/semver order, pseudo-versions, +incompatible)',
  namespaces: ['go'],
  valid: (v: string) => parse(v) !== undefined,
  compare,
  inRange: rangeMatcher(compare, (v, r) => comparatorRange(compare, v, r)),
} satisfies VersionScheme;
