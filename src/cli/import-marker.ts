import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../core/process-alive.js';

/**
 * A `db import` in progress says so in `<home>/imports/<pid>` from before it opens the store until it ends, so that
 * an `image scan` started beside it on an empty database waits for the advisories instead of refusing to scan
 * ("no advisory data"). A marker whose process is gone (kill -9) counts for nothing.
 */
const dir = (home: string) => join(home, 'imports');

/** Mark this process's import; the returned function removes the mark. */
export function markImport(home: string): () => void {
  mkdirSync(dir(home), { recursive: true, mode: 0o700 });
  const file = join(dir(home), String(process.pid));
  writeFileSync(file, '', { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** Pids of the imports running on this home now. */
export function runningImports(home: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir(home));
  } catch {
    return [];
  }
  return names
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid));
}

/** Wait while imports run on `home` and `ready()` is false; `notice` once, naming them. */
export async function waitForImports(
  home: string,
  ready: () => Promise<boolean>,
  notice: (message: string) => void,
  pollMs = 200,
): Promise<void> {
  let said = false;
  for (;;) {
    if (await ready()) return;
    const pids = runningImports(home);
    if (pids.length === 0) return;
    if (!said) notice(`waiting for the advisory import in progress (pid ${pids.join(', ')})`);
    said = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
