import Bunzip from 'seek-bzip';
import { errorMessage, UserInputError } from '../core/errors.js';

/** The 48-bit magics that follow a bzip2 stream header: a compressed block (π) or the end of stream (√π). */
const BLOCK_MAGIC = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const END_MAGIC = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
const OUTPUT_CHUNK = 1024 * 1024;

/** Whether bytes start as a bzip2 stream: "BZh", a block size 1–9, then a block or end-of-stream magic. */
export function isBzip2(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x42 || bytes[1] !== 0x5a || bytes[2] !== 0x68) return false;
  if (bytes[3] === undefined || bytes[3] < 0x31 || bytes[3] > 0x39) return false;
  const next = bytes.subarray(4, 10);
  const startsWith = (magic: number[]) => magic.every((b, i) => next[i] === b);
  return startsWith(BLOCK_MAGIC) || startsWith(END_MAGIC);
}

class Truncated extends Error {}

/**
 * The compressed bytes as the decoder's input. It has no `eof`: the decoder then reads each stream through its
 * end-of-stream marker and CRC, so input that stops between blocks is truncated, not a shorter file. Reading
 * past the end is truncation; `pos` is where the stream ended.
 */
function inputOf(bytes: Uint8Array): Bunzip.InputStream & { pos: number } {
  return {
    pos: 0,
    readByte() {
      if (this.pos >= bytes.length) throw new Truncated();
      return bytes[this.pos++]!;
    },
    read(buffer, offset, length) {
      const n = Math.min(length, bytes.length - this.pos);
      buffer.set(bytes.subarray(this.pos, this.pos + n), offset);
      this.pos += n;
      return n;
    },
  };
}

/**
 * Expand bzip2 data (one stream or several concatenated, as pbzip2 writes them), never past `maxBytes`: the
 * output is counted as it is written, so a small bomb stops at the budget instead of filling memory. Corrupt
 * or truncated data is one line naming the input.
 */
export function bunzip2Bounded(name: string, bytes: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let chunk = new Uint8Array(OUTPUT_CHUNK);
  let used = 0;
  let total = 0;
  const output: Bunzip.OutputStream = {
    writeByte(byte) {
      if (++total > maxBytes) throw new UserInputError(name, `decompresses to more than ${maxBytes} bytes`);
      if (used === OUTPUT_CHUNK) {
        parts.push(chunk);
        chunk = new Uint8Array(OUTPUT_CHUNK);
        used = 0;
      }
      chunk[used++] = byte;
    },
  };
  let rest = bytes;
  try {
    do {
      const input = inputOf(rest);
      Bunzip.decode(input, output);
      rest = rest.subarray(input.pos);
      if (rest.length > 0 && !isBzip2(rest))
        throw new UserInputError(name, `${rest.length} bytes of trailing data after the bzip2 stream`);
    } while (rest.length > 0);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    if (error instanceof Truncated) throw new UserInputError(name, 'truncated bzip2 data');
    throw new UserInputError(name, `corrupt bzip2 data: ${errorMessage(error)}`);
  }
  parts.push(chunk.subarray(0, used));
  return Buffer.concat(parts);
}
