import { rangeMatcher } from './range.js';
import type { VersionScheme } from './types.js';

// token kinds, in apk-tools' order (the order matters for the final comparison)
const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';

interface Cursor {
  s: string;
  i: number;
  type: number;
}

function nextToken(c: Cursor): void {
  let n = INVALID;
  const ch = c.s[c.i];
  if (c.i >= c.s.length) n = END;
  else if ((c.type === DIGIT || c.type === DIGIT_OR_ZERO) && isLower(ch)) n = LETTER;
  else if (c.type === LETTER && isDigit(ch)) n = DIGIT;
  else if (c.type === SUFFIX && isDigit(ch)) n = SUFFIX_NO;
  else {
    if (ch === '.') n = DIGIT_OR_ZERO;
    else if (ch === '_') n = SUFFIX;
    else if (ch === '-' && c.s[c.i + 1] === 'r') {
      n = REVISION_NO;
      c.i++;
    }
    c.i++;
  }
  if (n < c.type) {
    const allowed =
      (n === DIGIT_OR_ZERO && c.type === DIGIT) ||
      (n === SUFFIX && c.type === SUFFIX_NO) ||
      (n === DIGIT && c.type === LETTER);
    if (!allowed) n = INVALID;
  }
  c.type = n;
}

/** Reads one token's value and moves to the next token (apk-tools get_token). */
function getToken(c: Cursor): number {
  if (c.i >= c.s.length) {
    c.type = END;
    return 0;
  }
  let v = 0;
  let i = c.i;
  let nt = INVALID;
  const leadingZero = c.type === DIGIT_OR_ZERO && c.s[i] === '0';
  switch (leadingZero ? -2 : c.type) {
    case -2:
      // leading zeros of a component count negatively, the rest reads as a new number
      while (c.s[i] === '0') i++;
      nt = DIGIT;
      v = -(i - c.i);
      break;
    case DIGIT_OR_ZERO:
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      while (isDigit(c.s[i])) v = v * 10 + (c.s.charCodeAt(i++) - 48);
      break;
    case LETTER:
      v = c.s.charCodeAt(i++);
      break;
    case SUFFIX: {
      const rest = c.s.slice(i);
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (pre >= 0) {
        v = pre - PRE_SUFFIXES.length;
        i += PRE_SUFFIXES[pre]!.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post >= 0) {
        v = post;
        i += POST_SUFFIXES[post]!.length;
        break;
      }
      c.type = INVALID;
      return -1;
    }
    default:
      c.type = INVALID;
      return -1;
  }
  c.i = i;
  if (c.i >= c.s.length) c.type = END;
  else if (nt !== INVALID) c.type = nt;
  else nextToken(c);
  return v;
}

/** apk-tools' version comparison (token by token; a pre-release suffix sorts before the end). */
function compare(a: string, b: string): number {
  const x: Cursor = { s: a.trim(), i: 0, type: DIGIT };
  const y: Cursor = { s: b.trim(), i: 0, type: DIGIT };
  let av = 0;
  let bv = 0;
  while (x.type === y.type && x.type !== END && x.type !== INVALID && av === bv) {
    av = getToken(x);
    bv = getToken(y);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (x.type === y.type) return 0;
  if (x.type === SUFFIX && getToken({ ...x }) < 0) return -1;
  if (y.type === SUFFIX && getToken({ ...y }) < 0) return 1;
  if (x.type > y.type) return -1;
  if (y.type > x.type) return 1;
  return 0;
}

function valid(v: string): boolean {
  const c: Cursor = { s: v.trim(), i: 0, type: DIGIT };
  if (!isDigit(c.s[0])) return false;
  while (c.type !== END && c.type !== INVALID) getToken(c);
  return c.type === END;
}

/** Alpine/Wolfi apk versions: `1.2.3a_rc1_p2-r4` (suffixes _alpha _beta _pre _rc < none < _cvs _svn _git _hg _p). */
export const apk = {
  name: 'apk',
  description: 'Alpine, Wolfi and Chainguard apk versions (apk version -t)',
  namespaces: ['apk/'],
  valid,
  compare,
  inRange: rangeMatcher(compare),
} satisfies VersionScheme;
