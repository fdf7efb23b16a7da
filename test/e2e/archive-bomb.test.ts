import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runBuiltCli } from './cli-support.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-bomb-'));
/** The CLI's own temp directory (TMPDIR), to see that nothing is left in it. */
const temp = join(root, 'tmp');
mkdirSync(temp);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A gzip file of ~3 MB that expands to 3 GiB of zeros: one compressed 64 MiB member repeated (gzip readers
 * read concatenated members as one stream), so it is built in a moment.
 */
function writeBomb(file: string, gib: number): void {
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  const parts = Array.from({ length: gib * 16 }, () => member);
  writeFileSync(file, Buffer.concat(parts));
}

describe('a compressed image archive that expands beyond its temp-space budget', () => {
  const bomb = join(root, 'bomb.tar.gz');
  writeBomb(bomb, 3);

  it('is refused with one line naming it, and leaves nothing in the temp directory', async () => {
    const run = await runBuiltCli(['--home', join(root, 'home'), 'sbom', `oci-archive:${bomb}`], {
      env: { TMPDIR: temp },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(bomb);
    expect(run.stderr).toMatch(/temp-space budget/);
    expect(readdirSync(temp)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'interrupted by %s while expanding: temp directory cleaned',
    async (signal) => {
      const child = spawn(
        process.execPath,
        [CLI, '--home', join(root, 'home'), 'sbom', `oci-archive:${bomb}`],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, TMPDIR: temp },
          stdio: 'ignore',
        },
      );
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, sig) => resolve({ code, signal: sig })),
      );
      // wait until the expansion has started writing
      for (let i = 0; i < 300 && readdirSync(temp).length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(temp)).not.toEqual([]);
      child.kill(signal);
      const end = await closed;
      expect(end.signal ?? end.code).toBe(signal);
      expect(readdirSync(temp)).toEqual([]);
    },
  );
});
