import { execFileSync } from 'node:child_process';

/** Build dist/ once before the tests, so that end-to-end tests run the CLI exactly as users do. */
export default function setup(): void {
  if (process.env.BULKHEAD_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
