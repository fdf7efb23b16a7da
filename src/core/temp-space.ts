import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { UserInputError } from './errors.js';

/** Private temp directories alive in this process, removed on every way out (return, throw, exit, signal). */
const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  unhook();
  // nobody else handles the signal (a one-shot command): die of it as the default would, exit 130/143;
  // a serving command's own handler shuts it down gracefully instead
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

function unhook(): void {
  if (!hooked) return;
  hooked = false;
  process.off('exit', removeAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
}

export interface TempDir {
  path: string;
  /** Remove it now (idempotent). */
  remove(): void;
}

/** A new private (0700) directory under the system temp directory, removed on exit and on SIGINT/SIGTERM. */
export function createTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  live.add(path);
  hook();
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
      live.delete(path);
      if (live.size === 0) unhook();
    },
  };
}

/** Leave at least this much free on the temp file system. */
const FREE_RESERVE = 512 * 1024 * 1024;
/** Never more than this, whatever the input (documented in docs/images.md). */
export const MAX_TEMP_BYTES = 16 * 1024 * 1024 * 1024;
/** An input may expand to this many times its size (image archives: 1–4×; bombs: 1000×)… */
export const MAX_TEMP_RATIO = 20;
/** …but small inputs always get this much. */
export const MIN_TEMP_BYTES = 256 * 1024 * 1024;

/**
 * How much temp space decompressing `inputBytes` of `input` may use: 20× the input (at least 256 MiB), at most
 * 16 GiB and never more than the temp file system has free beyond a reserve.
 */
export function tempBudget(inputBytes: number, dir = tmpdir()): number {
  let budget = Math.min(MAX_TEMP_BYTES, Math.max(MIN_TEMP_BYTES, inputBytes * MAX_TEMP_RATIO));
  try {
    const fs = statfsSync(dir);
    budget = Math.min(budget, Math.max(0, fs.bavail * fs.bsize - FREE_RESERVE));
  } catch {
    // no statfs (unusual file systems): the fixed budget alone
  }
  return budget;
}

/** A pass-through that fails with a UserInputError naming `input` once more than `budget` bytes went by. */
export function byteBudget(input: string, budget: number, what = 'decompresses to'): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > budget)
        return cb(
          new UserInputError(input, `${what} more than ${budget} bytes (temp-space budget): refused`),
        );
      cb(null, chunk);
    },
  });
}
