import { compareDigits, rangeMatcher, testOp } from './range.js';
import type { VersionScheme } from './types.js';

/** The version pattern of PEP 440 (Appendix B), case-insensitive, surrounding whitespace allowed. */
const PATTERN =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

interface Pep440 {
  epoch: string;
  release: string[];
  pre: [number, string] | null;
  post: string | null;
  dev: string | null;
  local: string[] | null;
}

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(v: string): Pep440 | undefined {
  const m = PATTERN.exec(v);
  if (!m) return undefined;
  const [, epoch, release, preL, preN, postImplicit, postL, postN, devL, devN, local] = m;
  const parts = release!.split('.');
  while (parts.length > 1 && /^0+$/.test(parts.at(-1)!)) parts.pop();
  return {
    epoch: epoch ?? '0',
    release: parts,
    pre: preL ? [PRE_RANK[preL.toLowerCase()]!, preN ?? '0'] : null,
    post: postImplicit ?? (postL ? (postN ?? '0') : null),
    dev: devL ? (devN ?? '0') : null,
    local: local ? local.toLowerCase().split(/[-_.]/) : null,
  };
}

function compareRelease(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c) return c;
  }
  return 0;
}

/** packaging's sort key: dev-only releases before pre-releases, no post before any post, local last. */
function compareParsed(x: Pep440, y: Pep440): number {
  const byEpoch = compareDigits(x.epoch, y.epoch) || compareRelease(x.release, y.release);
  if (byEpoch) return byEpoch;
  const preKey = (p: Pep440): [number, number, string] =>
    p.pre ? [0, p.pre[0], p.pre[1]] : p.post === null && p.dev !== null ? [-1, 0, '0'] : [1, 0, '0'];
  const [pa, pb] = [preKey(x), preKey(y)];
  const byPre = pa[0] - pb[0] || pa[1] - pb[1] || compareDigits(pa[2], pb[2]);
  if (byPre) return Math.sign(byPre);
  if (x.post !== y.post) {
    if (x.post === null) return -1;
    if (y.post === null) return 1;
    const c = compareDigits(x.post, y.post);
    if (c) return c;
  }
  if (x.dev !== y.dev) {
    if (x.dev === null) return 1;
    if (y.dev === null) return -1;
    const c = compareDigits(x.dev, y.dev);
    if (c) return c;
  }
  return compareLocal(x.local, y.local);
}

function compareLocal(a: string[] | null, b: string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const p = a[i]!;
    const q = b[i]!;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const c = compareDigits(p, q);
      if (c) return c;
    } else if (pn !== qn) return pn ? 1 : -1;
    else if (p !== q) return p < q ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

function compare(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  return compareParsed(x, y);
}

/** One PEP 440 specifier clause (`~=`, `==` incl. `.*`, `!=`, `<=`, `>=`, `<`, `>`, `===`). */
function clause(v: string, spec: string): boolean {
  const m = /^\s*(~=|===|==|!=|<=|>=|<|>)?\s*(.+?)\s*$/.exec(spec);
  if (!m) return false;
  const op = m[1] ?? '==';
  const target = m[2]!;
  if (op === '===') return v.trim() === target;
  if (target.endsWith('.*') && (op === '==' || op === '!=')) {
    const prefix = parsePep440(target.slice(0, -2));
    const version = parsePep440(v);
    if (!prefix || !version) return false;
    const head = version.release
      .concat(Array(prefix.release.length).fill('0'))
      .slice(0, prefix.release.length);
    const same = version.epoch === prefix.epoch && compareRelease(head, prefix.release) === 0;
    return op === '==' ? same : !same;
  }
  if (op === '~=') {
    const t = parsePep440(target);
    if (!t || t.release.length < 1) return false;
    const stem = target.replace(/\+.*$/, '').split('.');
    const prefix = stem.slice(0, Math.max(1, stem.length - 1)).join('.');
    return compare(v, target) >= 0 && clause(v, `==${prefix}.*`);
  }
  return testOp(compare(v, target), op === '==' ? '=' : op);
}

/** PEP 440 versions (epochs, pre/post/dev, local, normalization) and specifier sets (`>=1.0,<2`, `||` for alternatives). */
export const pep440 = {
  name: 'pep440',
  description: 'Python packages: PEP 440 versions and specifiers',
  namespaces: ['pypi'],
  valid: (v: string) => parsePep440(v) !== undefined,
  compare,
  inRange: rangeMatcher(compare, (v, r) =>
    r.split('||').some((alt) => alt.split(',').every((c) => c.trim() === '' || clause(v, c))),
  ),
} satisfies VersionScheme;
