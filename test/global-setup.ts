import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Build dist/ once before the tests, so that end-to-end tests run the CLI exactly as users do; and give every
 * test a fresh default home, so that a command run without --home never reads or changes the user's own.
 */
export default function setup(): () => void {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-test-home-'));
  process.env.BULKHEAD_HOME = join(home, '.bulkhead');
  if (process.env.BULKHEAD_SKIP_BUILD !== '1')
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  return () => rmSync(home, { recursive: true, force: true });
}
