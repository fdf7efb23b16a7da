import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markImport, runningImports, waitForImports } from './import-marker.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = join(mkdtempSync(join(tmpdir(), 'bulkhead-marker-')), 'home');
  homes.push(h);
  return h;
};

describe('db import markers', () => {
  it('counts the imports of live processes only, never its own', async () => {
    const h = home();
    const unmark = markImport(h);
    expect(runningImports(h)).toEqual([]); // this process's own mark
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    writeFileSync(join(h, 'imports', String(child.pid)), '');
    writeFileSync(join(h, 'imports', '999999999'), ''); // a process long gone (kill -9)
    writeFileSync(join(h, 'imports', 'junk'), '');
    expect(runningImports(h)).toEqual([child.pid]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(runningImports(h)).toEqual([]);
    unmark();
    expect(runningImports(h)).toEqual([]);
  });

  it('waits while an import runs and nothing is ready, then goes on when the import ends', async () => {
    const h = home();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    markImport(h);
    writeFileSync(join(h, 'imports', String(child.pid)), '');
    const notices: string[] = [];
    let ended = false;
    const waiting = waitForImports(
      h,
      async () => false,
      (m) => notices.push(m),
      20,
    ).then(() => {
      ended = true;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(ended).toBe(false);
    expect(notices).toEqual([`waiting for the advisory import in progress (pid ${child.pid})`]);
    child.kill('SIGKILL');
    await waiting;
    expect(ended).toBe(true);
    // data already there: no wait at all, whatever runs
    await waitForImports(
      h,
      async () => true,
      (m) => notices.push(m),
    );
    expect(notices).toHaveLength(1);
  });
});
