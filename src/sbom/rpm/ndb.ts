/** rpm's NDB format (`Packages.db`, SUSE): a slot table pointing at blobs, little endian. */
const HEADER_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const PAGE = 4096;
const SLOT = 16;
const BLOCK = 16;

export function isNdb(data: Buffer): boolean {
  return data.length >= 16 && data.readUInt32LE(0) === HEADER_MAGIC;
}

export function readNdb(data: Buffer): Buffer[] {
  if (!isNdb(data)) throw new Error('not an rpm NDB file');
  if (data.readUInt32LE(4) !== 0) throw new Error('unsupported NDB version');
  const pages = data.readUInt32LE(12);
  if (pages === 0 || pages > 2048) throw new Error(`bad NDB slot page count ${pages}`);
  const slots = pages * (PAGE / SLOT) - 2;
  const out: Buffer[] = [];
  for (let i = 0; i < slots; i++) {
    const at = 32 + i * SLOT;
    if (at + SLOT > data.length) break;
    if (data.readUInt32LE(at) !== SLOT_MAGIC) throw new Error('bad NDB slot magic');
    const pkgIndex = data.readUInt32LE(at + 4);
    if (pkgIndex === 0) continue;
    const offset = data.readUInt32LE(at + 8) * BLOCK;
    if (offset + 16 > data.length || data.readUInt32LE(offset) !== BLOB_MAGIC) continue;
    if (data.readUInt32LE(offset + 4) !== pkgIndex) continue;
    const len = data.readUInt32LE(offset + 12);
    if (offset + 16 + len > data.length) continue;
    out.push(data.subarray(offset + 16, offset + 16 + len));
  }
  return out;
}
