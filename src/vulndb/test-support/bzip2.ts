import { execFileSync } from 'node:child_process';

/** Bytes compressed by the system's bzip2 (as Oracle's `.bz2` files are made), not by the code under test. */
export function bzip2(data: Uint8Array): Uint8Array {
  return new Uint8Array(execFileSync('bzip2', ['-c', '-9'], { input: data, maxBuffer: 64 * 1024 * 1024 }));
}
