/**
 * Berkeley DB hash files (rpm `Packages` on RHEL ≤ 8, CentOS, Amazon Linux 2): every value stored on
 * overflow pages is a package header. Only the structures rpm uses are read.
 */
const HASH_MAGIC = 0x061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_HASH = 13;
const P_OVERFLOW = 7;
const H_OFFPAGE = 3;

export function isBerkeleyDb(data: Buffer): boolean {
  return data.length >= 512 && (data.readUInt32LE(12) === HASH_MAGIC || data.readUInt32BE(12) === HASH_MAGIC);
}

export function readBerkeleyDb(data: Buffer): Buffer[] {
  if (!isBerkeleyDb(data)) throw new Error('not a Berkeley DB hash file');
  const le = data.readUInt32LE(12) === HASH_MAGIC;
  const u32 = (at: number) => (le ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const u16 = (at: number) => (le ? data.readUInt16LE(at) : data.readUInt16BE(at));
  if (data[24] !== 0) throw new Error('encrypted Berkeley DB is not supported');
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    throw new Error(`bad page size ${pageSize}`);
  const lastPage = Math.min(u32(32), Math.floor(data.length / pageSize) - 1);
  const out: Buffer[] = [];
  for (let page = 1; page <= lastPage; page++) {
    const base = page * pageSize;
    const type = data[base + 25];
    if (type !== P_HASH_UNSORTED && type !== P_HASH && type !== 8) continue;
    const entries = u16(base + 20);
    for (let i = 1; i < entries; i += 2) {
      const at = base + PAGE_HEADER + i * 2;
      if (at + 2 > base + pageSize) break;
      const item = base + u16(at);
      if (item + 12 > base + pageSize || data[item] !== H_OFFPAGE) continue;
      const length = u32(item + 8);
      const chunks: Buffer[] = [];
      let total = 0;
      const seen = new Set<number>();
      for (let next = u32(item + 4); next !== 0 && !seen.has(next); ) {
        seen.add(next);
        const p = next * pageSize;
        if (p + pageSize > data.length || data[p + 25] !== P_OVERFLOW) break;
        const nextPage = u32(p + 16);
        const used = nextPage === 0 ? u16(p + 22) : pageSize - PAGE_HEADER;
        chunks.push(data.subarray(p + PAGE_HEADER, p + PAGE_HEADER + Math.min(used, pageSize - PAGE_HEADER)));
        total += used;
        next = nextPage;
      }
      if (chunks.length > 0 && total >= Math.min(length, 8)) out.push(Buffer.concat(chunks));
    }
  }
  return out;
}
