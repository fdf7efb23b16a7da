import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBulkheadDatabase } from '../../src/store/backup.js';
import { runBuiltCli } from './cli-support.js';
import { type ServeProcess, startServe } from './serve-process.js';

/** Poll until `check` holds, at most `ms`; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

describe('bulkhead serve', () => {
  let home: string;
  let serve: ServeProcess;
  const cli = (args: string[], input?: string) =>
    runBuiltCli(['--home', home, ...args], input === undefined ? {} : { input });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-serve-'));
    serve = await startServe(['--home', home]);
  });
  afterAll(async () => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('answers /healthz and /readyz and creates the first admin with a 0600 password file it only names', async () => {
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${serve.url}/readyz`)).status).toBe(200);
    const file = join(home, 'initial-admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(serve.out.stderr).toContain(file);
    expect(serve.out.stderr + serve.out.stdout).not.toContain(password);
    const login = await fetch(`${serve.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/bulkhead_session=.*HttpOnly.*SameSite=Strict/i);
  });

  it('sees a token created by the CLI within 5 s, and stops taking it within 5 s of its revocation', async () => {
    const created = await cli(['--format', 'json', 'token', 'create', '--name', 'ci', '--role', 'viewer']);
    expect(created.code).toBe(0);
    const { token, id, prefix } = JSON.parse(created.stdout);
    expect(token).toMatch(new RegExp(`^bh_${prefix}_`));
    expect(typeof id).toBe('number');
    const plain = await cli([
      'token',
      'create',
      '--name',
      'agent',
      '--role',
      'agent',
      '--scope',
      'host:node-1',
    ]);
    expect(plain.stdout).toMatch(/^bh_[A-Za-z0-9]{8}_\S+\n$/);
    const status = async () =>
      (await fetch(`${serve.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } })).status;
    // a viewer may not list tokens: 403 means the server knows the token
    await within(5000, async () => (await status()) === 403);
    expect(
      (await fetch(`${serve.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const list = await cli(['--format', 'json', 'token', 'list']);
    expect(JSON.parse(list.stdout).tokens.map((t: { name: string }) => t.name)).toEqual(['ci', 'agent']);
    expect(list.stdout).not.toContain(token);
    expect((await cli(['token', 'revoke', prefix])).code).toBe(0);
    await within(5000, async () => (await status()) === 401);
    const missing = await cli(['token', 'revoke', 'nosuchtk']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^bulkhead: token revoke: no token nosuchtk\n$/);
  });

  it('adds users from standard input and backs the store up while it runs', async () => {
    const added = await cli(
      ['user', 'add', 'ada', '--role', 'operator', '--password-stdin'],
      'ada-password\n',
    );
    expect(added.code).toBe(0);
    const noStdin = await cli(['user', 'add', 'bob', '--role', 'viewer']);
    expect(noStdin.code).toBe(2);
    const users = await cli(['--format', 'json', 'user', 'list']);
    expect(JSON.parse(users.stdout).users.map((u: { name: string }) => u.name)).toEqual(['admin', 'ada']);
    const login = await fetch(`${serve.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ada', password: 'ada-password' }),
    });
    expect(login.status).toBe(200);
    const backup = join(home, 'backup.db');
    const result = await cli(['store', 'backup', backup]);
    expect(result.code).toBe(0);
    expect(isBulkheadDatabase(backup)).toBe(true);
    expect((await cli(['store', 'backup', backup])).code).toBe(2);
  });

  it('finishes an in-flight request on SIGTERM, closes the store and exits 0', async () => {
    const password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
    // a login hashes with scrypt: long enough to be in flight when the signal comes
    const inFlight = fetch(`${serve.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password }),
    });
    await new Promise((r) => setTimeout(r, 30));
    serve.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await serve.exited).toBe(0);
    expect(serve.out.stderr).toContain('stopping');
    // the store was closed cleanly: SQLite removed its write-ahead log
    expect(existsSync(join(home, 'bulkhead.db-wal'))).toBe(false);
  });

  it('restores a backup atomically and refuses a file that is not a Bulkhead database', async () => {
    const bogus = join(home, 'bogus.db');
    writeFileSync(bogus, 'not a database');
    const refused = await cli(['store', 'restore', bogus]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not a Bulkhead database');
    // a user added after the backup is gone once it is restored
    expect(
      (await cli(['user', 'add', 'carol', '--role', 'viewer', '--password-stdin'], 'carol-password')).code,
    ).toBe(0);
    const restored = await cli(['store', 'restore', join(home, 'backup.db')]);
    expect(restored.stderr).toContain('restored from');
    expect(restored.code).toBe(0);
    const users = await cli(['--format', 'json', 'user', 'list']);
    expect(JSON.parse(users.stdout).users.map((u: { name: string }) => u.name)).toEqual(['admin', 'ada']);
  });
});
