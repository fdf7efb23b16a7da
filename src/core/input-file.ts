import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UserInputError } from './errors.js';
import { classifyFsError } from './fs-errors.js';

/** Largest input file any command reads whole unless it says otherwise (feeds have their own, larger limit). */
export const DEFAULT_INPUT_BYTES = 256 * 1024 * 1024;

export interface InputOptions {
  /** Refuse (before reading a byte) a file larger than this. */
  maxBytes?: number;
  /** What the file should be, for messages: "an SBOM", "a Kubernetes manifest". */
  what?: string;
  /** `-` means standard input (only where a command documents it). */
  stdin?: boolean;
}

function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Open `path` for reading as a regular file: a FIFO, socket, device or directory is refused at once (opened
 * non-blocking, so a FIFO nobody writes to cannot hang the command), and a file larger than `maxBytes` is
 * refused before it is read. Errors are UserInputErrors naming the path. The caller closes the descriptor.
 */
export function openInputFile(path: string, options: InputOptions = {}): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw classifyFsError(error, path, 'cannot open');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new UserInputError(path, `${kindOf(st)}, expected ${options.what ?? 'a regular file'}`);
    const max = options.maxBytes ?? DEFAULT_INPUT_BYTES;
    if (st.size > max)
      throw new UserInputError(path, `${st.size} bytes, larger than the limit of ${max} bytes`);
    return { fd, size: st.size };
  } catch (error) {
    closeSync(fd);
    throw classifyFsError(error, path, 'cannot read');
  }
}

/** Check that `path` is a regular file within the size limit, without reading it (for streamed readers). */
export function checkInputFile(path: string, options: InputOptions = {}): { size: number } {
  const { fd, size } = openInputFile(path, options);
  closeSync(fd);
  return { size };
}

function readAll(fd: number, label: string, max: number, sizeHint: number): Buffer {
  // read straight into one buffer, one byte larger than the file's size so that the end shows as a read of
  // nothing: a large SBOM had been held as read chunks, their copies and their concatenation at once
  let buffer = Buffer.allocUnsafe(sizeHint > 0 ? Math.min(sizeHint, max) + 1 : 65536);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      // a file that grew after the size check, or standard input: more room
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, total);
      buffer = larger;
    }
    let n: number;
    try {
      n = readSync(fd, buffer, total, buffer.length - total, null);
    } catch (error) {
      if ((error as { code?: string }).code === 'EAGAIN') continue;
      throw classifyFsError(error, label, 'cannot read');
    }
    if (n === 0) break;
    total += n;
    // a file that grew after the size check, or standard input, is held to the same limit
    if (total > max) throw new UserInputError(label, `larger than the limit of ${max} bytes`);
  }
  return buffer.subarray(0, total);
}

/** The bytes of an input file (or of standard input for `-` when `stdin` is allowed), bounded. */
export function readInputFile(path: string, options: InputOptions = {}): Buffer {
  const max = options.maxBytes ?? DEFAULT_INPUT_BYTES;
  if (path === '-' && options.stdin) return readAll(0, 'standard input', max, 0);
  const { fd, size } = openInputFile(path, options);
  try {
    return readAll(fd, path, max, size);
  } finally {
    closeSync(fd);
  }
}

/** The text (UTF-8) of an input file, bounded; see readInputFile. */
export function readInputText(path: string, options: InputOptions = {}): string {
  return readInputFile(path, options).toString('utf8');
}
