import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Size the archive declares; the real size is enforced while inflating. */
  size: number;
  read(): Buffer;
}

/**
 * The entries of a zip archive (jar, war…) from its central directory. Reading an entry inflates it with a
 * hard output limit, so an entry that lies about its size cannot blow memory up.
 */
export function zipEntries(data: Buffer, maxEntryBytes: number): ZipEntry[] {
  const min = Math.max(0, data.length - 65_557);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = data.readUInt16LE(eocd + 10);
  let pos = data.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (pos + 46 > data.length || data.readUInt32LE(pos) !== 0x02014b50)
      throw new Error('corrupt central directory');
    const method = data.readUInt16LE(pos + 10);
    const compressed = data.readUInt32LE(pos + 20);
    const size = data.readUInt32LE(pos + 24);
    const nameLen = data.readUInt16LE(pos + 28);
    const extraLen = data.readUInt16LE(pos + 30);
    const commentLen = data.readUInt16LE(pos + 32);
    const local = data.readUInt32LE(pos + 42);
    const name = data.toString('utf8', pos + 46, pos + 46 + nameLen);
    pos += 46 + nameLen + extraLen + commentLen;
    entries.push({
      name,
      size,
      read() {
        if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50)
          throw new Error(`bad local header for ${name}`);
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const raw = data.subarray(start, start + compressed);
        if (method === 0) {
          if (raw.length > maxEntryBytes) throw new Error(`${name} is larger than ${maxEntryBytes} bytes`);
          return Buffer.from(raw);
        }
        if (method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
        return inflateRawSync(raw, { maxOutputLength: maxEntryBytes });
      },
    });
  }
  return entries;
}
