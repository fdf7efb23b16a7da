/** The 48-bit magics that follow a bzip2 stream header: a compressed block (π) or the end of stream (√π). */
const BLOCK_MAGIC = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const END_MAGIC = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

/** Whether bytes start as a bzip2 stream: "BZh", a block size 1–9, then a block or end-of-stream magic. */
export function isBzip2(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x42 || bytes[1] !== 0x5a || bytes[2] !== 0x68) return false;
  if (bytes[3] === undefined || bytes[3] < 0x31 || bytes[3] > 0x39) return false;
  const next = bytes.subarray(4, 10);
  const startsWith = (magic: number[]) => magic.every((b, i) => next[i] === b);
  return startsWith(BLOCK_MAGIC) || startsWith(END_MAGIC);
}
