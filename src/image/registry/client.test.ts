/**
 * The registry client against a real docker-registry (Distribution) on 127.0.0.1, images pushed by skopeo:
 * anonymous, htpasswd basic auth, ~/.docker/config.json auths and credential helpers, and, through a small proxy
 * in front of the registry, bearer tokens (also from an identity token), 503 retries, blob redirects and a
 * corrupted blob.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startRegistry } from '../../../test/fixtures/registry.js';
import { ExternalServiceError, UserInputError } from '../../core/errors.js';
import { catalogImage } from '../../sbom/catalog.js';
import { writeOciLayout } from '../test-support/oci.js';
import { tarOf } from '../test-support/tar.js';
import { tokenRealm } from './client.js';

let plain: LocalRegistry;
let secured: LocalRegistry;
let tls: LocalRegistry;
let proxy: Server;
let proxyHost: string;
const tmp = mkdtempSync(join(tmpdir(), 'bulkhead-registry-test-'));
const stats = { tokens: 0, failures: 0, redirects: 0 };

const apkDb = (name: string, version: string) => `P:${name}\nV:${version}\nA:x86_64\no:${name}\n\n`;

async function layout(name: string, arches: string[]) {
  const images = [];
  for (const arch of arches)
    images.push({
      platform: { os: 'linux', architecture: arch },
      layers: [
        await tarOf([
          { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
          {
            name: 'lib/apk/db/installed',
            content: apkDb(`only-${arch}`, '1.0-r0') + apkDb('musl', '1.2.4-r2'),
          },
        ]),
      ],
    });
  const dir = join(tmp, name);
  writeOciLayout(dir, images, 'v1');
  return `oci:${dir}:v1`;
}

/** Bearer-token gate in front of the plain registry: one 503 per manifest path, blobs redirected. */
function startProxy(upstream: string): Promise<void> {
  const token = 'tok-123';
  const failed = new Set<string>();
  proxy = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/token') && req.method === 'POST') {
      // OAuth2 refresh-token grant (identity tokens): the form must carry the grant, the token and the scope
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const ok =
          form.get('grant_type') === 'refresh_token' &&
          form.get('refresh_token') === 'refresh-xyz' &&
          form.get('service') === 'test' &&
          form.get('scope') === 'repository:x:pull';
        stats.tokens++;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { access_token: token } : { errors: [] }));
      });
      return;
    }
    if (url.startsWith('/token')) {
      const ok = req.headers.authorization === `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;
      stats.tokens++;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { token } : { errors: [] }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${proxyHost}/token",service="test",scope="repository:x:pull"`,
      });
      res.end();
      return;
    }
    if (url.includes('/manifests/') && !failed.has(url)) {
      failed.add(url);
      stats.failures++;
      res.writeHead(503, { 'retry-after': '0' });
      res.end();
      return;
    }
    if (url.includes('/blobs/') && !url.includes('corrupt')) {
      stats.redirects++;
      res.writeHead(307, { location: `http://${upstream}${url}` });
      res.end();
      return;
    }
    const up = request(
      `http://${upstream}${url}`,
      { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } },
      (u) => {
        if (url.includes('/blobs/') && url.includes('corrupt')) {
          const chunks: Buffer[] = [];
          u.on('data', (c) => chunks.push(c));
          u.on('end', () => {
            const body = Buffer.concat(chunks);
            body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0xff;
            res.writeHead(u.statusCode ?? 500, { 'content-length': body.length });
            res.end(body);
          });
          return;
        }
        res.writeHead(u.statusCode ?? 500, u.headers);
        u.pipe(res);
      },
    );
    up.end();
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => {
      const a = proxy.address();
      proxyHost = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  [plain, secured, tls] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: true }),
    startRegistry({ tls: true }),
  ]);
  const single = await layout('single', ['amd64']);
  const multi = await layout('multi', ['amd64', 'arm64']);
  plain.push(single, 'test/single', 'v1');
  plain.push(single, 'test/corrupt', 'v1');
  plain.push(single, 'test/token', 'v1');
  // --all keeps the index (both platforms)
  const { execFileSync } = await import('node:child_process');
  execFileSync('skopeo', [
    'copy',
    '-q',
    '--all',
    '--dest-tls-verify=false',
    multi,
    `docker://${plain.host}/test/multi:v1`,
  ]);
  secured.push(single, 'test/single', 'v1');
  tls.push(single, 'test/single', 'v1');
  await startProxy(plain.host);
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), secured?.stop(), tls?.stop()]);
  await new Promise((r) => proxy?.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const names = (r: Awaited<ReturnType<typeof catalogImage>>) => r.packages.map((p) => p.name).sort();

describe('registry client', () => {
  it('pulls anonymously, verifies every blob and reads the packages', async () => {
    const r = await catalogImage(`docker://${plain.host}/test/single:v1`, { insecureRegistry: true });
    expect(names(r)).toEqual(['musl', 'only-amd64']);
    expect(r.artifact.os).toEqual({ family: 'alpine', version: '3.19', fullVersion: '3.19.1' });
    expect(r.artifact.manifestDigest).toMatch(/^sha256:/);
  });

  it('picks the platform from a multi-platform index (default linux/amd64)', async () => {
    const ref = `docker://${plain.host}/test/multi:v1`;
    expect(names(await catalogImage(ref, { insecureRegistry: true }))).toEqual(['musl', 'only-amd64']);
    expect(names(await catalogImage(ref, { insecureRegistry: true, platform: 'linux/arm64' }))).toEqual([
      'musl',
      'only-arm64',
    ]);
    await expect(catalogImage(ref, { insecureRegistry: true, platform: 'linux/s390x' })).rejects.toThrow(
      /no image for platform linux\/s390x/,
    );
  });

  it('pulls by digest; an unknown digest is a clear error', async () => {
    const r = await catalogImage(`docker://${plain.host}/test/single:v1`, { insecureRegistry: true });
    const byDigest = await catalogImage(`docker://${plain.host}/test/single@${r.artifact.manifestDigest}`, {
      insecureRegistry: true,
    });
    expect(names(byDigest)).toEqual(names(r));
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(
      catalogImage(`docker://${plain.host}/test/single@${wrong}`, { insecureRegistry: true }),
    ).rejects.toThrow(UserInputError);
  });

  it('htpasswd basic auth: explicit credentials, docker config.json auths, and a clear 401 without', async () => {
    const ref = `docker://${secured.host}/test/single:v1`;
    const { username, password } = secured.auth!;
    expect(names(await catalogImage(ref, { insecureRegistry: true, username, password }))).toEqual([
      'musl',
      'only-amd64',
    ]);
    const configDir = join(tmp, 'docker-config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        auths: {
          [`http://${secured.host}`]: { auth: Buffer.from(`${username}:${password}`).toString('base64') },
        },
      }),
    );
    expect(names(await catalogImage(ref, { insecureRegistry: true, dockerConfigDir: configDir }))).toEqual([
      'musl',
      'only-amd64',
    ]);
    await expect(
      catalogImage(ref, { insecureRegistry: true, dockerConfigDir: join(tmp, 'none') }),
    ).rejects.toThrow(/authentication required or refused \(HTTP 401\)/);
    await expect(catalogImage(ref, { insecureRegistry: true, username, password: 'wrong' })).rejects.toThrow(
      /HTTP 401/,
    );
  });

  it('credential helpers: credHelpers before credsStore before auths, run only on a challenge', async () => {
    const { username, password } = secured.auth!;
    const bin = join(tmp, 'helper-bin');
    const calls = join(tmp, 'helper-calls.log');
    mkdirSync(bin, { recursive: true });
    // a docker-credential helper (the protocol: `get`, server URL on stdin, JSON on stdout) knowing two servers
    writeFileSync(
      join(bin, 'docker-credential-bktest'),
      [
        '#!/bin/sh',
        'read -r server',
        `echo "$1 $server" >> '${calls}'`,
        'case "$server" in',
        `  '${secured.host}') printf '{"ServerURL":"%s","Username":"${username}","Secret":"${password}"}' "$server" ;;`,
        `  '${proxyHost}') printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-xyz"}' "$server" ;;`,
        '  *) echo "credentials not found in native keychain"; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    writeFileSync(join(bin, 'docker-credential-broken'), '#!/bin/sh\necho "keychain locked" >&2\nexit 3\n', {
      mode: 0o755,
    });
    const config = (name: string, body: object) => {
      const dir = join(tmp, `config-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), JSON.stringify(body));
      return dir;
    };
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const securedRef = `docker://${secured.host}/test/single:v1`;
      // credHelpers names the helper for this registry
      const perRegistry = config('helpers', { credHelpers: { [secured.host]: 'bktest' } });
      expect(
        names(await catalogImage(securedRef, { insecureRegistry: true, dockerConfigDir: perRegistry })),
      ).toEqual(['musl', 'only-amd64']);
      // credsStore holds nothing for the server: the auths entry is used
      const storeThenAuths = config('store', {
        credsStore: 'bktest',
        auths: { [plain.host]: {} },
        credHelpers: {},
      });
      const anonymous = await catalogImage(`docker://${plain.host}/test/single:v1`, {
        insecureRegistry: true,
        dockerConfigDir: storeThenAuths,
      });
      expect(names(anonymous)).toEqual(['musl', 'only-amd64']);
      const fallback = config('fallback', {
        credsStore: 'bktest',
        auths: { 'other.example:5000': {} },
      });
      await expect(
        catalogImage(`docker://${tls.host}/test/single:v1`, {
          insecureRegistry: true,
          dockerConfigDir: fallback,
        }),
      ).resolves.toBeDefined();
      // an identity token (<token> user) is exchanged by the OAuth2 refresh-token POST at the realm
      const before = stats.tokens;
      const viaToken = await catalogImage(`docker://${proxyHost}/test/token:v1`, {
        insecureRegistry: true,
        dockerConfigDir: config('token', { credsStore: 'bktest' }),
      });
      expect(names(viaToken)).toEqual(['musl', 'only-amd64']);
      expect(stats.tokens).toBeGreaterThan(before);
      // helpers are asked only by registries that challenge: the plain and TLS registries never asked
      const asked = readFileSync(calls, 'utf8').trim().split('\n');
      expect(asked).toEqual([`get ${secured.host}`, `get ${proxyHost}`]);

      await expect(
        catalogImage(securedRef, {
          insecureRegistry: true,
          dockerConfigDir: config('missing', { credHelpers: { [secured.host]: 'nope' } }),
        }),
      ).rejects.toThrow(/config\.json: credential helper docker-credential-nope is not on PATH/);
      await expect(
        catalogImage(securedRef, {
          insecureRegistry: true,
          dockerConfigDir: config('broken', { credsStore: 'broken' }),
        }),
      ).rejects.toThrow(new RegExp(`docker-credential-broken failed for ${secured.host}: keychain locked`));
      // a helper name is a name, never a path; and a helper is found only in absolute PATH directories
      writeFileSync(join(tmp, 'docker-credential-local'), '#!/bin/sh\necho pwned > /dev/null\n', {
        mode: 0o755,
      });
      for (const hostile of ['../helper-bin/bktest', 'x/../../bktest', '..', 'a/b'])
        await expect(
          catalogImage(securedRef, {
            insecureRegistry: true,
            dockerConfigDir: config(`hostile-${hostile.length}`, {
              credHelpers: { [secured.host]: hostile },
            }),
          }),
        ).rejects.toThrow(/is not a plain name/);
      process.env.PATH = `.:${bin}:${path}`;
      const cwd = process.cwd();
      process.chdir(tmp);
      try {
        await expect(
          catalogImage(securedRef, {
            insecureRegistry: true,
            dockerConfigDir: config('relative', { credHelpers: { [secured.host]: 'local' } }),
          }),
        ).rejects.toThrow(/docker-credential-local is not on PATH/);
      } finally {
        process.chdir(cwd);
      }
    } finally {
      process.env.PATH = path;
    }
  });

  it('follows a token realm only over https, unless the registry itself is insecure', () => {
    expect(tokenRealm('https://auth.example/token', 'reg.example', false).host).toBe('auth.example');
    expect(tokenRealm('http://127.0.0.1:5001/token', '127.0.0.1:5000', true).protocol).toBe('http:');
    expect(() => tokenRealm('http://evil.example/token', 'reg.example', false)).toThrow(
      /refused token realm http:\/\/evil\.example/,
    );
    expect(() => tokenRealm('ftp://reg.example/token', 'reg.example', true)).toThrow(/refused token realm/);
    expect(() => tokenRealm('not a url', 'reg.example', false)).toThrow(/is not a URL/);
  });

  it('bearer token from the WWW-Authenticate realm, retries after 503, follows blob redirects', async () => {
    const before = { ...stats };
    const r = await catalogImage(`docker://${proxyHost}/test/single:v1`, {
      insecureRegistry: true,
      username: 'robot',
      password: 's3cret',
    });
    expect(names(r)).toEqual(['musl', 'only-amd64']);
    expect(stats.tokens).toBeGreaterThan(before.tokens);
    expect(stats.failures).toBeGreaterThan(before.failures);
    expect(stats.redirects).toBeGreaterThan(before.redirects);
  });

  it('a blob whose content does not match its digest fails the pull', async () => {
    await expect(
      catalogImage(`docker://${proxyHost}/test/corrupt:v1`, {
        insecureRegistry: true,
        username: 'robot',
        password: 's3cret',
      }),
    ).rejects.toThrow(/digest mismatch/);
  });

  it('TLS with a self-signed certificate: refused by default, read with --insecure-registry', async () => {
    const ref = `docker://${tls.host}/test/single:v1`;
    expect(names(await catalogImage(ref, { insecureRegistry: true }))).toEqual(['musl', 'only-amd64']);
    await expect(catalogImage(ref)).rejects.toThrow(/TLS certificate not trusted .*--insecure-registry/);
  });

  it('404 and unreachable registries are clear errors', async () => {
    await expect(
      catalogImage(`docker://${plain.host}/test/absent:v1`, { insecureRegistry: true }),
    ).rejects.toThrow(/HTTP 404/);
    const closed = createServer();
    const port = await new Promise<number>((r) =>
      closed.listen(0, '127.0.0.1', () => r((closed.address() as { port: number }).port)),
    );
    await new Promise((r) => closed.close(r));
    await expect(
      catalogImage(`docker://127.0.0.1:${port}/x/y:1`, { insecureRegistry: true }),
    ).rejects.toThrow(ExternalServiceError);
    await expect(
      catalogImage(`docker://127.0.0.1:${port}/x/y:1`, { insecureRegistry: true }),
    ).rejects.toThrow(/unreachable \(ECONNREFUSED\)/);
  });
});
