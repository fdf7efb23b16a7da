import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../../src/admission/test-support.js';
import { webhookCertificates } from '../../src/tls/certificates.js';
import { CLI, type CliRun, REPO_ROOT, runBuiltCli } from './cli-support.js';

/**
 * The last defect classes of the reliability issue, through the built CLI: a listen address that cannot be used,
 * a database URL that cannot, a read-only database, advisory ids that are Object.prototype's names, and bodies
 * that are not JSON. Each ends in exit 2 and one line naming the input, or a 415 with a stable code.
 */
const root = mkdtempSync(join(tmpdir(), 'bulkhead-reliability-'));
// readable by the unprivileged user some cases run as
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NOBODY = { uid: 65534, gid: 65534 };
const isRoot = process.getuid?.() === 0;

/** Exit 2 and exactly `line` on stderr, nothing else. */
function refusedWith(run: CliRun, line: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toBe(`${line}\n`);
}

/** A TCP port held open on loopback while the test runs. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
const cert = join(root, 'tls.crt');
const key = join(root, 'tls.key');
const token = join(root, 'token');
writeFileSync(cert, certs.cert);
writeFileSync(key, certs.key);
writeFileSync(token, 'secret-token\n');
chmodSync(key, 0o644);

describe('a listen address that cannot be used', () => {
  const home = join(root, 'listen-home');
  let held: { port: number; server: Server };
  beforeAll(async () => {
    held = await occupiedPort();
  });
  afterAll(() => held.server.close());

  it('serve on a fresh home that cannot listen says only why, and creates no admin yet', async () => {
    const fresh = join(root, 'listen-fresh-home');
    refusedWith(
      await runBuiltCli(['--home', fresh, 'serve', '--host', 'no-such-host.invalid', '--port', '0']),
      'bulkhead: --host no-such-host.invalid: cannot listen: the address does not resolve (ENOTFOUND)',
    );
    expect(existsSync(join(fresh, 'initial-admin-password'))).toBe(false);
  });

  it('serve: a host that does not resolve, from the flag or the environment', async () => {
    refusedWith(
      await runBuiltCli(['--home', home, 'serve', '--host', 'no-such-host.invalid', '--port', '0']),
      'bulkhead: --host no-such-host.invalid: cannot listen: the address does not resolve (ENOTFOUND)',
    );
    refusedWith(
      await runBuiltCli(['--home', home, 'serve', '--port', '0'], {
        env: { BULKHEAD_HOST: 'no-such-host.invalid' },
      }),
      'bulkhead: BULKHEAD_HOST no-such-host.invalid: cannot listen: the address does not resolve (ENOTFOUND)',
    );
  });

  it('serve: a port in use', async () => {
    refusedWith(
      await runBuiltCli(['--home', home, 'serve', '--port', String(held.port)]),
      `bulkhead: --port ${held.port}: cannot listen on 127.0.0.1:${held.port}: the address is already in use (EADDRINUSE)`,
    );
  });

  it('serve: a privileged port for an unprivileged user', async () => {
    const own = join(root, 'nobody-serve-home');
    const added = await runBuiltCli(
      ['--home', own, 'user', 'add', 'admin', '--role', 'admin', '--password-stdin'],
      { input: 'a-long-enough-password' },
    );
    expect(added.code, added.stderr).toBe(0);
    if (isRoot)
      for (const f of ['', 'bulkhead.db', 'bulkhead.db-wal', 'bulkhead.db-shm']) chownTry(join(own, f));
    refusedWith(
      await runBuiltCli(['--home', own, 'serve', '--port', '80'], isRoot ? { user: NOBODY } : {}),
      'bulkhead: --port 80: cannot listen on 127.0.0.1:80: permission denied (EACCES): a privileged port needs root or CAP_NET_BIND_SERVICE',
    );
  });

  it('admission serve: an address that does not resolve, a port in use', async () => {
    const tls = ['--tls-cert', cert, '--tls-key', key, '--no-store'];
    refusedWith(
      await runBuiltCli([
        '--home',
        home,
        'admission',
        'serve',
        '--address',
        'no-such-host.invalid',
        '--port',
        '0',
        ...tls,
      ]),
      'bulkhead: --address no-such-host.invalid: cannot listen: the address does not resolve (ENOTFOUND)',
    );
    refusedWith(
      await runBuiltCli(['--home', home, 'admission', 'serve', '--port', String(held.port), ...tls]),
      `bulkhead: --port ${held.port}: cannot listen on 127.0.0.1:${held.port}: the address is already in use (EADDRINUSE)`,
    );
  });

  it('runtime serve: an address that does not resolve, a webhook port in use', async () => {
    const webhook = ['--token-file', token, '--no-store'];
    refusedWith(
      await runBuiltCli([
        '--home',
        home,
        'runtime',
        'serve',
        '--webhook-port',
        '0',
        '--address',
        'no-such-host.invalid',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        ...webhook,
      ]),
      'bulkhead: --address no-such-host.invalid: cannot listen: the address does not resolve (ENOTFOUND)',
    );
    refusedWith(
      await runBuiltCli([
        '--home',
        home,
        'runtime',
        'serve',
        '--webhook-port',
        String(held.port),
        ...webhook,
      ]),
      `bulkhead: --webhook-port ${held.port}: cannot listen on 127.0.0.1:${held.port}: the address is already in use (EADDRINUSE)`,
    );
  });
});

function chownTry(path: string): void {
  try {
    chownSync(path, NOBODY.uid, NOBODY.gid);
  } catch {
    // a WAL file SQLite removed on close
  }
}

describe('a database URL that cannot be used', () => {
  const home = join(root, 'url-home');

  it.each([
    [
      'postgres://bad url',
      'bulkhead: postgres://bad url: not a valid URL (postgres://user:password@host:port/database)',
    ],
    [
      'mysql://x',
      'bulkhead: mysql://x: unsupported database "mysql:": give postgres://… for PostgreSQL, or sqlite:PATH or a file path for SQLite',
    ],
    ['sqlite:', 'bulkhead: sqlite:: names no database file (sqlite:PATH)'],
  ])('%s', async (url, line) => {
    refusedWith(await runBuiltCli(['--home', home, '--database', url, 'db', 'status']), line);
    refusedWith(
      await runBuiltCli(['--home', home, 'db', 'status'], { env: { BULKHEAD_DATABASE_URL: url } }),
      line,
    );
  });

  it('a PostgreSQL server that refuses the connection, at once', async () => {
    const started = Date.now();
    refusedWith(
      await runBuiltCli(['--home', home, '--database', 'postgres://user@127.0.0.1:1/db', 'db', 'status']),
      'bulkhead: postgres://user@127.0.0.1:1/db: cannot connect to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('a read-only database file', () => {
  it('a write names the file: the database is read-only', async () => {
    const dir = join(root, 'ro');
    mkdirSync(dir);
    const db = join(dir, 'store.db');
    const home = join(root, 'ro-home');
    mkdirSync(home);
    const made = await runBuiltCli(['--home', home, '--database', db, 'db', 'status']);
    expect(made.code, made.stderr).toBe(0);
    // the owner may read but not write it (root writes anything: the command runs as another user)
    if (isRoot) for (const p of [dir, db, home]) chownSync(p, NOBODY.uid, NOBODY.gid);
    chmodSync(db, 0o400);
    const advisory = join(root, 'ro-advisory.json');
    writeFileSync(advisory, JSON.stringify(osvAdvisory('GO-2020-0001')));
    chmodSync(advisory, 0o644);
    const run = await runBuiltCli(
      ['--home', home, '--database', db, 'db', 'import', advisory],
      isRoot ? { user: NOBODY } : {},
    );
    refusedWith(run, `bulkhead: ${db}: the database is read-only`);
  });
});

/** An OSV advisory shaped like the Go vulnerability database's, for gin below 1.6.0. */
function osvAdvisory(id: string) {
  return {
    schema_version: '1.3.1',
    id,
    modified: '2021-04-14T20:04:52Z',
    published: '2021-04-14T20:04:52Z',
    aliases: [id],
    summary: 'Arbitrary log line injection in github.com/gin-gonic/gin',
    affected: [
      {
        package: { name: 'github.com/gin-gonic/gin', ecosystem: 'Go' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.6.0' }] }],
      },
    ],
  };
}

describe('advisory ids named like Object.prototype members', () => {
  const home = join(root, 'proto-home');
  const ids = ['__proto__', 'constructor', 'toString'];

  it('db import counts them, db status and image scan print numbers', async () => {
    for (const id of ids) {
      const file = join(root, `${id}.json`);
      writeFileSync(file, JSON.stringify(osvAdvisory(id)));
      const run = await runBuiltCli(['--home', home, 'db', 'import', file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(/NaN/);
      expect(run.stdout).toMatch(/records added +1\n/);
      expect(run.stdout).toMatch(/records updated +0\n/);
    }
    // imported again: updated, not added
    const again = await runBuiltCli(['--home', home, 'db', 'import', join(root, '__proto__.json')]);
    expect(again.stdout).toMatch(/records added +0\n/);
    expect(again.stdout).toMatch(/records updated +1\n/);

    const status = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'status']);
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as {
      advisories: number;
      sources: { name: string; records: number }[];
    };
    expect(doc.advisories).toBe(3);
    expect(doc.sources.map((s) => [s.name, s.records]).sort()).toEqual([
      ['__proto__', 1],
      ['constructor', 1],
      ['tostring', 1],
    ]);
    const table = await runBuiltCli(['--home', home, 'db', 'status']);
    expect(table.stdout).not.toMatch(/NaN/);

    const sbom = join(root, 'gin.cdx.json');
    writeFileSync(
      sbom,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: [
          {
            type: 'library',
            name: 'github.com/gin-gonic/gin',
            version: 'v1.5.0',
            purl: 'pkg:golang/github.com/gin-gonic/gin@v1.5.0',
          },
        ],
      }),
    );
    const scan = await runBuiltCli(['--home', home, '--format', 'json', 'image', 'scan', `sbom:${sbom}`]);
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).not.toMatch(/NaN|\[object |function /);
    const report = JSON.parse(scan.stdout) as {
      vulnerabilities: { id: string; dataSource: { id: string; name: string } }[];
    };
    expect(report.vulnerabilities.map((v) => [v.id, v.dataSource.name]).sort()).toEqual([
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'tostring'],
    ]);
    const text = await runBuiltCli(['--home', home, 'image', 'scan', `sbom:${sbom}`]);
    expect(text.stdout).toMatch(/3 vulnerabilities in 1 package/);
    expect(text.stdout).not.toMatch(/NaN/);
  });
});

/** A serving command as a process; resolves with the URL it prints once ready. */
async function startServer(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8');
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = ready.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  return { child, url };
}

describe('JSON servers refuse other content types with 415', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  const home = join(root, 'media-home');

  it('the center API', async () => {
    const serve = await startServer(['--home', home, 'serve', '--port', '0'], /ready on (http:\/\/\S+)/);
    children.push(serve.child);
    const password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
    const res = await fetch(`${serve.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ name: 'admin', password }),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: { code: 'BULKHEAD_ERR_MEDIA_TYPE', message: 'content-type must be application/json' },
    });
  });

  it('the runtime audit webhook', async () => {
    const runtime = await startServer(
      ['--home', home, 'runtime', 'serve', '--webhook-port', '0', '--token-file', token, '--no-store'],
      /audit webhook (http:\/\/[^\s)]+)/,
    );
    children.push(runtime.child);
    const post = (contentType: string) =>
      fetch(runtime.url, {
        method: 'POST',
        headers: { authorization: 'Bearer secret-token', 'content-type': contentType },
        body: JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [] }),
      });
    const plain = await post('text/plain');
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({
      error: 'content-type must be application/json',
      code: 'BULKHEAD_ERR_MEDIA_TYPE',
    });
    expect((await post('application/json')).status).toBe(200);
  });

  it('the admission webhook', async () => {
    const admission = await startServer(
      [
        '--home',
        home,
        'admission',
        'serve',
        '--port',
        '0',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        '--no-store',
      ],
      /ready on (https:\/\/\S+)/,
    );
    children.push(admission.child);
    const res = await httpsRequest(`${admission.url}/validate`, certs.caCert, '{}', {
      'content-type': 'text/plain',
    });
    expect(res.status).toBe(415);
    expect(res.json()).toEqual({
      code: 'BULKHEAD_ERR_MEDIA_TYPE',
      message: 'bad request: content-type must be application/json',
    });
  });
});
