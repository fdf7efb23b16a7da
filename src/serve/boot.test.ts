import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServeConfig } from '../center/config.js';
import { createCenter } from '../center/create-center.js';
import { SYSTEM } from '../center/principal.js';
import { UserInputError } from '../core/errors.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { webhookCertificates } from '../tls/certificates.js';
import { boot, INITIAL_ADMIN_FILE, type Server } from './boot.js';
import { DIALECTS } from './test-support.js';

describe.each(DIALECTS)('boot on %s', (dialect) => {
  let database: TestDatabase;
  let server: Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await database?.dispose();
  });

  it('opens the store, creates the first admin once, listens, and stops', async () => {
    database = await freshDatabase(dialect);
    const notices: string[] = [];
    const config = loadServeConfig({
      home: database.home,
      env: {},
      flags: { port: 0, database: database.url },
    });
    server = await boot({ home: database.home, config, notice: (m) => void notices.push(m) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const file = join(database.home, INITIAL_ADMIN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(notices).toEqual([`bulkhead serve: created user admin; its password is in ${file}`]);
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password }),
    });
    expect(login.status).toBe(200);
    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    // a second start finds the admin: no new password
    rmSync(file);
    server = await boot({ home: database.home, config, notice: (m) => void notices.push(m) });
    expect(existsSync(file)).toBe(false);
    expect(notices).toHaveLength(1);
  });

  it('expires exceptions past their date and takes the score snapshot as it starts', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const created = new Date('2026-03-01T12:00:00.000Z');
    const exception = await createCenter({ store, clock: () => created }).exceptions.create(SYSTEM, {
      targets: ['CVE-2026-0001'],
      selector: {},
      reason: 'accepted until the vendor ships a fix',
      expires: '2026-03-02',
    });
    await store.close();
    const config = loadServeConfig({
      home: database.home,
      env: {},
      flags: { port: 0, database: database.url },
    });
    // the center was down over the expiry date
    server = await boot({ home: database.home, config, clock: () => new Date('2026-03-05T08:00:00.000Z') });
    expect((await server.center.exceptions.get(exception.id)).status).toBe('expired');
    expect((await server.center.score.get()).history).toEqual([{ date: '2026-03-05', percentage: null }]);
  });
});

describe('boot with TLS', () => {
  let home: string;
  let server: Server | undefined;
  afterEach(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('serves HTTPS with Secure session cookies, and names a missing certificate file', async () => {
    home = mkdtempSync(join(tmpdir(), 'bulkhead-boot-'));
    const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    writeFileSync(join(home, 'tls.crt'), certs.cert);
    writeFileSync(join(home, 'tls.key'), certs.key);
    const missing = loadServeConfig({
      home,
      env: {},
      flags: { port: 0, tlsCert: join(home, 'nope.crt'), tlsKey: join(home, 'tls.key') },
    });
    await expect(boot({ home, config: missing })).rejects.toThrow(UserInputError);
    const config = loadServeConfig({
      home,
      env: {},
      flags: { port: 0, tlsCert: join(home, 'tls.crt'), tlsKey: join(home, 'tls.key') },
    });
    server = await boot({ home, config });
    expect(server.url).toMatch(/^https:\/\//);
    const password = readFileSync(join(home, INITIAL_ADMIN_FILE), 'utf8').trim();
    const body = JSON.stringify({ name: 'admin', password });
    const cookie = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${server!.url}/api/v1/session`,
        { method: 'POST', ca: certs.caCert, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie']));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(cookie).toMatch(/bulkhead_session=.*; Secure/);
  });
});
