import type { Probe } from '../../image/file-view.js';
import { type Cataloger, type Found, MiB } from '../types.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const KEEP = 1 * MiB;
const EXEC_MAGICS = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
  Buffer.from('MZ'),
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]),
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]),
];

/** Streams an executable once and keeps the bytes from Go's build info magic on (≤ 1 MiB). */
export function goBuildInfoProbe(): Probe {
  let first = true;
  let skip = false;
  let tail = Buffer.alloc(0);
  let kept: Buffer[] | undefined;
  let keptLen = 0;
  return {
    push(chunk) {
      if (skip) return;
      if (first) {
        first = false;
        if (!EXEC_MAGICS.some((m) => chunk.subarray(0, m.length).equals(m))) {
          skip = true;
          return;
        }
      }
      if (kept) {
        if (keptLen < KEEP) {
          kept.push(chunk.subarray(0, KEEP - keptLen));
          keptLen += Math.min(chunk.length, KEEP - keptLen);
        }
        return;
      }
      const buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const at = buf.indexOf(MAGIC);
      if (at >= 0) {
        kept = [buf.subarray(at, at + KEEP)];
        keptLen = Math.min(buf.length - at, KEEP);
      } else tail = Buffer.from(buf.subarray(Math.max(0, buf.length - MAGIC.length + 1)));
    },
    finish: () => (kept ? Buffer.concat(kept) : undefined),
  };
}

function varint(buf: Buffer, pos: number): [number, number] {
  let n = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 35; i++) {
    const b = buf[i]!;
    n += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [n, i + 1];
    shift += 7;
  }
  return [-1, pos];
}

/** Parse the build info extract: Go version and module info (Go 1.18+ inline format). */
export function parseBuildInfo(data: Buffer): { goVersion: string; modinfo: string } | undefined {
  if (data.length < 32 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const flags = data[15]!;
  if (!(flags & 2)) return undefined; // pre-1.18 pointer format needs the whole binary's sections
  const [vlen, p1] = varint(data, 32);
  if (vlen < 0 || p1 + vlen > data.length) return undefined;
  const goVersion = data.toString('utf8', p1, p1 + vlen);
  const [mlen, p2] = varint(data, p1 + vlen);
  if (mlen < 0 || p2 + mlen > data.length) return undefined;
  let modinfo = data.toString('latin1', p2, p2 + mlen);
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
  return { goVersion, modinfo: Buffer.from(modinfo, 'latin1').toString('utf8') };
}

/** Go binaries: module path, version and dependencies from the embedded build info, plus the Go stdlib. */
export const goBinary: Cataloger = {
  name: 'go-binary',
  type: 'golang',
  wants: (path, info) =>
    info.size > 1024 && (info.mode & 0o111) !== 0 && !/\.(?:so[.\d]*|jar|war|ear|sh|py|js)$/.test(path)
      ? { maxBytes: KEEP, probe: goBuildInfoProbe }
      : undefined,
  parse(file) {
    const info = parseBuildInfo(file.content);
    if (!info) return [];
    const found: Found[] = [];
    let last: Found | undefined;
    for (const line of info.modinfo.split('\n')) {
      const [kind, path, version] = line.split('\t');
      if ((kind === 'mod' && version !== '(devel)') || kind === 'dep') {
        if (!path || !version) continue;
        last = { name: path, version };
        found.push(last);
      } else if (kind === '=>' && last && path && version) {
        last.name = path;
        last.version = version;
      }
    }
    const go = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion);
    if (go) found.push({ name: 'stdlib', version: `v${go[1]}` });
    return found;
  },
};
