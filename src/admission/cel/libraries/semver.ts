import { EvaluationError } from '@marcbachmann/cel-js';
import { SemVer } from 'semver';
import { library } from '../library.js';

const SV = 'kubernetes.Semver';
const STRICT =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** With `normalize`: a leading `v` is dropped, missing minor/patch become 0 and leading zeros are removed. */
function normalized(s: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s);
  if (!m) return s;
  const n = (x: string | undefined) => String(Number(x ?? '0'));
  return `${n(m[1])}.${n(m[2])}.${n(m[3])}${m[4]}`;
}

function parse(s: string, normalize = false): SemVer {
  const text = normalize ? normalized(s) : s;
  if (!STRICT.test(text)) throw new EvaluationError(`invalid semver: ${s}`);
  return new SemVer(text);
}

function isSemver(s: string, normalize = false): boolean {
  try {
    parse(s, normalize);
    return true;
  } catch {
    return false;
  }
}

/** Kubernetes semver library: `semver('1.2.3').isLessThan(semver('1.10.0'))`. */
export const semverLibrary = library(
  'semver',
  'Semantic versions (`semver`, `isSemver`, major/minor/patch, comparison)',
  {
    [`semver(string): ${SV}`]: (s: string) => parse(s),
    [`semver(string, bool): ${SV}`]: (s: string, n: boolean) => parse(s, n),
    'isSemver(string): bool': (s: string) => isSemver(s),
    'isSemver(string, bool): bool': (s: string, n: boolean) => isSemver(s, n),
    [`${SV}.major(): int`]: (v: SemVer) => BigInt(v.major),
    [`${SV}.minor(): int`]: (v: SemVer) => BigInt(v.minor),
    [`${SV}.patch(): int`]: (v: SemVer) => BigInt(v.patch),
    [`${SV}.compareTo(${SV}): int`]: (a: SemVer, b: SemVer) => BigInt(a.compare(b)),
    [`${SV}.isLessThan(${SV}): bool`]: (a: SemVer, b: SemVer) => a.compare(b) < 0,
    [`${SV}.isGreaterThan(${SV}): bool`]: (a: SemVer, b: SemVer) => a.compare(b) > 0,
  },
  (env) => {
    env.registerType(SV, SemVer);
    env.registerOperator(`${SV} == ${SV}`, (a: SemVer, b: SemVer) => a.compare(b) === 0);
  },
);
