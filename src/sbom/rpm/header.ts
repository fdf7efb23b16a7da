/** An RPM header blob as stored in the rpmdb: index entries + data store (rpm's headerImport format). */
export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  modularityLabel?: string;
}

const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  vendor: 1011,
  arch: 1022,
  sourceRpm: 1044,
  modularityLabel: 5096,
} as const;

const STRING = 6;
const I18N = 9;
const STRING_ARRAY = 8;
const INT32 = 4;

/** Parse a header blob; undefined when it is malformed (bounds are checked, nothing is trusted). */
export function parseRpmHeader(blob: Buffer): RpmHeader | undefined {
  if (blob.length < 8) return undefined;
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 0x10000 || dl > 256 * 1024 * 1024 || dataStart + dl > blob.length) return undefined;
  const values = new Map<number, string | number>();
  const wanted = new Set<number>(Object.values(TAG));
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    if (!wanted.has(tag)) continue;
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    if (offset >= dl) continue;
    const start = dataStart + offset;
    if (type === STRING || type === I18N || type === STRING_ARRAY) {
      const end = blob.indexOf(0, start);
      if (end < 0 || end > dataStart + dl) continue;
      values.set(tag, blob.toString('utf8', start, end));
    } else if (type === INT32 && start + 4 <= dataStart + dl) {
      values.set(tag, blob.readInt32BE(start));
    }
  }
  const str = (t: number) => {
    const v = values.get(t);
    return typeof v === 'string' ? v : undefined;
  };
  const name = str(TAG.name);
  const version = str(TAG.version);
  if (!name || version === undefined) return undefined;
  const epoch = values.get(TAG.epoch);
  const h: RpmHeader = { name, version, release: str(TAG.release) ?? '' };
  if (typeof epoch === 'number') h.epoch = epoch;
  for (const k of ['arch', 'sourceRpm', 'license', 'vendor', 'modularityLabel'] as const) {
    const v = str(TAG[k]);
    if (v) h[k] = v;
  }
  return h;
}

/** `bash-4.2.46-34.el7.src.rpm` → name, version, release. */
export function parseSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  const base = file.replace(/\.(?:no)?src\.rpm$/, '');
  const r = base.lastIndexOf('-');
  const v = r > 0 ? base.lastIndexOf('-', r - 1) : -1;
  if (v <= 0) return undefined;
  return { name: base.slice(0, v), version: base.slice(v + 1, r), release: base.slice(r + 1) };
}

const FILE_TAG = { oldFileNames: 1027, dirIndexes: 1116, baseNames: 1117, dirNames: 1118 } as const;

/**
 * The paths of the files a header installs (BASENAMES joined to DIRNAMES by DIRINDEXES, or the OLDFILENAMES of
 * old packages), each given to `visit` without being kept. Malformed or absent lists give nothing.
 */
export function forEachRpmFile(blob: Buffer, visit: (path: string) => void): void {
  if (blob.length < 8) return;
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  const dataEnd = dataStart + dl;
  if (il > 0x10000 || dataEnd > blob.length) return;
  const entries = new Map<number, { type: number; start: number; count: number }>();
  const wanted = new Set<number>(Object.values(FILE_TAG));
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    if (!wanted.has(tag)) continue;
    const offset = blob.readUInt32BE(at + 8);
    if (offset >= dl) continue;
    entries.set(tag, {
      type: blob.readUInt32BE(at + 4),
      start: dataStart + offset,
      count: blob.readUInt32BE(at + 12),
    });
  }
  const strings = (tag: number): string[] => {
    const e = entries.get(tag);
    if (!e || e.type !== STRING_ARRAY) return [];
    const out: string[] = [];
    let at = e.start;
    for (let i = 0; i < e.count && at < dataEnd; i++) {
      const end = blob.indexOf(0, at);
      if (end < 0 || end >= dataEnd) break;
      out.push(blob.toString('utf8', at, end));
      at = end + 1;
    }
    return out;
  };
  const base = strings(FILE_TAG.baseNames);
  if (base.length === 0) {
    for (const p of strings(FILE_TAG.oldFileNames)) visit(p);
    return;
  }
  const dirs = strings(FILE_TAG.dirNames);
  const index = entries.get(FILE_TAG.dirIndexes);
  if (!index || index.type !== INT32 || index.start + 4 * base.length > dataEnd) return;
  for (let i = 0; i < base.length; i++) {
    const dir = dirs[blob.readUInt32BE(index.start + 4 * i)];
    if (dir !== undefined) visit(`${dir}${base[i]}`);
  }
}
