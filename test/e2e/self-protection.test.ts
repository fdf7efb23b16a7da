import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './cli-support.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-self-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('what Bulkhead keeps and reads about itself (built CLI)', () => {
  it('a first use makes the home 0700 and the database 0600, whatever the umask', async () => {
    const home = join(root, 'home');
    const run = await runBuiltCli(['--home', home, 'store', 'status']);
    expect(run.code, run.stderr).toBe(0);
    expect(mode(home)).toBe('700');
    expect(mode(join(home, 'bulkhead.db'))).toBe('600');
  });

  it('a threat-intel CIDR with a prefix out of range is refused with the file and line', async () => {
    const feed = join(root, 'blocklist.txt');
    writeFileSync(feed, '# feed: test\n192.0.2.1\n10.0.0.0/-5\n');
    const log = join(root, 'audit.log');
    writeFileSync(log, 'type=EOE msg=audit(1700000000.001:1): \n');
    const run = await runBuiltCli([
      '--home',
      join(root, 'home'),
      'runtime',
      'detect',
      '--source',
      'auditd',
      log,
      '--threat-intel',
      feed,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `bulkhead: ${feed}:3: "10.0.0.0/-5": the prefix length must be a whole number from 0 to 32`,
    );
  });
});
