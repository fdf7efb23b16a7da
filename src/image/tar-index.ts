import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';

/** Where a regular file lives inside an uncompressed tar file. */
export interface TarMember {
  offset: number;
  size: number;
}

function cstring(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function octal(buf: Buffer, start: number, len: number): number {
  if (buf[start]! & 0x80) {
    // base-256 (GNU) for big sizes
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + buf[i]!;
    return n;
  }
  const text = cstring(buf, start, len).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function paxPath(data: Buffer): string | undefined {
  let pos = 0;
  let path: string | undefined;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(data.subarray(pos, space).toString(), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    pos += len;
  }
  return path;
}

/** Normalize a member name: no leading `./` or `/`, no `.`/empty segments. Returns undefined for `..` escapes. */
export function normalizeMemberPath(name: string): string | undefined {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/**
 * Index the regular files of an uncompressed tar archive (docker save output, OCI archive) by reading
 * only the headers, so each member can later be streamed by offset without extracting anything.
 */
export function indexTar(file: string): Map<string, TarMember> {
  const fd = openSync(file, 'r');
  const members = new Map<string, TarMember>();
  const header = Buffer.alloc(512);
  let pos = 0;
  let longName: string | undefined;
  try {
    for (;;) {
      if (readSync(fd, header, 0, 512, pos) < 512) break;
      if (header.every((b) => b === 0)) break;
      if (cstring(header, 257, 5) !== 'ustar')
        throw new Error(`not a tar archive (bad header at offset ${pos})`);
      const size = octal(header, 124, 12);
      const type = String.fromCharCode(header[156] || 0x30);
      const data = pos + 512;
      const next = data + Math.ceil(size / 512) * 512;
      if (type === 'L' || type === 'x') {
        const body = Buffer.alloc(Math.min(size, 1 << 20));
        readSync(fd, body, 0, body.length, data);
        longName = type === 'L' ? cstring(body, 0, body.length) : (paxPath(body) ?? longName);
        pos = next;
        continue;
      }
      const prefix = cstring(header, 345, 155);
      const raw = longName ?? (prefix ? `${prefix}/${cstring(header, 0, 100)}` : cstring(header, 0, 100));
      longName = undefined;
      const name = normalizeMemberPath(raw);
      if (name !== undefined && (type === '0' || type === '\0' || type === '7'))
        members.set(name, { offset: data, size });
      pos = next;
    }
  } finally {
    closeSync(fd);
  }
  return members;
}

export function openMember(file: string, m: TarMember): Readable {
  if (m.size === 0) return Readable.from([]);
  return createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
}

export function readMember(file: string, m: TarMember, max = 64 << 20): Buffer {
  if (m.size > max) throw new Error(`member too large (${m.size} bytes)`);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(m.size);
    readSync(fd, buf, 0, m.size, m.offset);
    return buf;
  } finally {
    closeSync(fd);
  }
}
