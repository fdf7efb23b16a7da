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

const MAX_WHOLE = 256 * MiB;
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * Streams an executable once and keeps the bytes from Go's build info magic on (≤ 1 MiB). Go < 1.18
 * binaries store pointers instead of inline strings: for ELF files the whole binary (≤ 256 MiB) is kept
 * until the format is known, and the strings are resolved through the program headers.
 */
export function goBuildInfoProbe(): Probe {
  let first = true;
  let skip = false;
  let tail = Buffer.alloc(0);
  let kept: Buffer[] | undefined;
  let keptLen = 0;
  let whole: Buffer[] | undefined;
  let wholeLen = 0;
  return {
    push(chunk) {
      if (skip) return;
      if (first) {
        first = false;
        if (!EXEC_MAGICS.some((m) => chunk.subarray(0, m.length).equals(m))) {
          skip = true;
          return;
        }
        if (chunk.subarray(0, 4).equals(ELF)) whole = [];
      }
      if (whole) {
        wholeLen += chunk.length;
        if (wholeLen > MAX_WHOLE) whole = undefined;
        else whole.push(chunk);
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
        // inline (Go 1.18+) build info needs nothing else
        if (buf.length - at > 15 && (buf[at + 15]! & 2) !== 0) whole = undefined;
      } else tail = Buffer.from(buf.subarray(Math.max(0, buf.length - MAGIC.length + 1)));
    },
    finish() {
      if (!kept) return undefined;
      const extract = Buffer.concat(kept);
      if (extract.length > 15 && (extract[15]! & 2) === 0 && whole)
        return resolvePointerFormat(Buffer.concat(whole)) ?? extract;
      return extract;
    },
  };
}

/** Map a virtual address to a file offset through the ELF PT_LOAD program headers. */
function elfReader(bin: Buffer): ((addr: number, len: number) => Buffer | undefined) | undefined {
  if (bin.length < 64 || !bin.subarray(0, 4).equals(ELF)) return undefined;
  const is64 = bin[4] === 2;
  const le = bin[5] === 1;
  const u16 = (o: number) => (le ? bin.readUInt16LE(o) : bin.readUInt16BE(o));
  const u32 = (o: number) => (le ? bin.readUInt32LE(o) : bin.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? bin.readBigUInt64LE(o) : bin.readBigUInt64BE(o));
  const phoff = is64 ? u64(0x20) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const loads: { offset: number; vaddr: number; filesz: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (h + (is64 ? 56 : 32) > bin.length) break;
    if (u32(h) !== 1) continue;
    loads.push(
      is64
        ? { offset: u64(h + 8), vaddr: u64(h + 16), filesz: u64(h + 32) }
        : { offset: u32(h + 4), vaddr: u32(h + 8), filesz: u32(h + 16) },
    );
  }
  return (addr, len) => {
    const seg = loads.find((l) => addr >= l.vaddr && addr + len <= l.vaddr + l.filesz);
    if (!seg || len < 0 || len > 16 * MiB) return undefined;
    const start = seg.offset + (addr - seg.vaddr);
    return start + len <= bin.length ? bin.subarray(start, start + len) : undefined;
  };
}

/** Go 1.13–1.17 build info: two pointers to Go string headers; re-encoded in the inline format. */
export function resolvePointerFormat(bin: Buffer): Buffer | undefined {
  const at = bin.indexOf(MAGIC);
  const read = elfReader(bin);
  if (at < 0 || !read || at + 32 > bin.length) return undefined;
  const ptrSize = bin[at + 14]!;
  const big = (bin[at + 15]! & 1) !== 0;
  if (ptrSize !== 4 && ptrSize !== 8) return undefined;
  const ptr = (b: Buffer, o: number) =>
    ptrSize === 8
      ? Number(big ? b.readBigUInt64BE(o) : b.readBigUInt64LE(o))
      : big
        ? b.readUInt32BE(o)
        : b.readUInt32LE(o);
  const str = (addr: number) => {
    const hdr = read(addr, 2 * ptrSize);
    return hdr ? read(ptr(hdr, 0), ptr(hdr, ptrSize)) : undefined;
  };
  const version = str(ptr(bin, at + 16));
  const modinfo = str(ptr(bin, at + 16 + ptrSize));
  if (!version) return undefined;
  const varintOf = (n: number) => {
    const out: number[] = [];
    for (let v = n; ; v = Math.floor(v / 128)) {
      if (v < 128) {
        out.push(v);
        break;
      }
      out.push((v % 128) | 0x80);
    }
    return Buffer.from(out);
  };
  const head = Buffer.alloc(32);
  MAGIC.copy(head);
  head[14] = ptrSize;
  head[15] = 2;
  const mod = modinfo ?? Buffer.alloc(0);
  return Buffer.concat([head, varintOf(version.length), version, varintOf(mod.length), mod]);
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
  kind: 'binary',
  version: 1,
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
