import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserInputError } from './errors.js';
import { classifyFsError } from './fs-errors.js';

export interface OutputOptions {
  /** Permission bits of the written file (0600 for anything holding a secret). Default 0644. */
  mode?: number;
  /** Name of the flag for messages, e.g. `--output`. */
  flag?: string;
}

/**
 * Write `data` to `path` atomically: into a new file beside it (created exclusively with `mode`, so a
 * secret is never readable by others, whatever file existed before and whatever its mode), then renamed
 * over. The directory must exist (it is not created: a typo in it should fail, not scatter files). On any
 * failure the new file is removed and the old one, if any, is untouched.
 */
export function writeOutputFile(
  path: string,
  data: string | Uint8Array | Iterable<string>,
  options: OutputOptions = {},
): void {
  const file = resolve(path);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', options.mode ?? 0o644);
    const pieces = typeof data === 'string' || data instanceof Uint8Array ? [data] : batches(data);
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const classified = classifyFsError(error, path, 'cannot write');
    if (classified instanceof UserInputError) throw classified;
    throw new UserInputError(path, `cannot write: ${(error as Error).message}`);
  }
}

/** Pieces of text joined into writes of about 64 KiB (a write per JSON row would be a system call per row). */
export function* batches(pieces: Iterable<string>, size = 64 * 1024): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (length > 0) yield buffer.join('');
}
