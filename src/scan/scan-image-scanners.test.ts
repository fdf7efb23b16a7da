import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOciLayout } from '../image/test-support/oci.js';
import { tarOf } from '../image/test-support/tar.js';
import { samples } from '../secret/test-support/samples.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { scanImage } from './scan-image.js';

let database: TestDatabase;
let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-scanners-'));
const layout = join(dir, 'oci');
const key = samples.rsaPkcs1();
const token = samples.githubToken();
let layers: Buffer[];
const diffId = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeAll(async () => {
  // an empty database: a scan without the vulnerability scanner needs no advisory data
  database = await freshDatabase('sqlite');
  store = await database.open();
  layers = [
    await tarOf([
      { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' },
      { name: 'root/.ssh/id_rsa', content: key, mode: 0o600 },
    ]),
    await tarOf([
      // the key is deleted, but it is still in the image: the first layer holds it
      { name: 'root/.ssh/.wh.id_rsa', content: '' },
      { name: 'srv/app/.env', content: `PORT=8080\nGITHUB_TOKEN=${token}\n` },
    ]),
    await tarOf([
      // a binary with a token inside, a package's documentation, a test fixture: none of them reported
      {
        name: 'srv/app/bin/tool',
        content: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(token)]),
      },
      { name: 'usr/share/doc/app/README', content: `token ${token}\n` },
      { name: 'srv/app/test/fixtures/.env', content: `GITHUB_TOKEN=${token}\n` },
    ]),
  ];
  writeOciLayout(layout, [{ platform: { os: 'linux', architecture: 'amd64' }, layers }]);
});

afterAll(async () => {
  await store.close();
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('scanImage --scanners secret', () => {
  it('finds a secret a later layer deleted, in the layer that added it, with no advisory data at all', async () => {
    const out = await scanImage(store, { target: `oci:${layout}`, scanners: ['secret'], exitCode: 3 });
    expect(out.secrets?.map((s) => [s.rule, s.path, s.layer, s.line])).toEqual([
      ['github-token', '/srv/app/.env', diffId(layers[1]!), 2],
      ['private-key', '/root/.ssh/id_rsa', diffId(layers[0]!), 2],
    ]);
    const doc = out.document;
    expect(doc).toMatchObject({ scanners: ['secret'], vulnerabilities: [], healthy: false });
    expect(doc.secrets).toEqual(out.secrets);
    // a secret trips the gate as a finding would
    expect(out.gate).toEqual({ exitCode: 3, secretsOrLicenses: true });
    // never whole: not in the document, not in the table
    const json = JSON.stringify(doc);
    const body = key.split('\n')[1]!;
    expect(json).not.toContain(token);
    expect(json).not.toContain(body.slice(0, 16));
    const table = JSON.stringify(out.report.table?.());
    expect(table).toContain('github-token');
    expect(table).not.toContain(token);
    expect(table).not.toContain(body.slice(0, 16));
  });

  it('--severity filters secrets as it filters findings', async () => {
    const out = await scanImage(store, {
      target: `oci:${layout}`,
      scanners: ['secret'],
      severities: ['HIGH'],
      exitCode: 1,
    });
    expect(out.secrets?.map((s) => s.rule)).toEqual(['private-key']);
    const none = await scanImage(store, {
      target: `oci:${layout}`,
      scanners: ['secret'],
      severities: ['LOW'],
      exitCode: 1,
    });
    expect(none.secrets).toEqual([]);
    expect(none.gate.exitCode).toBe(0);
  });

  it('the vulnerability scanner still refuses an empty database; an SBOM has no layers to read', async () => {
    await expect(scanImage(store, { target: `oci:${layout}`, scanners: ['vuln', 'secret'] })).rejects.toThrow(
      /no advisory data/,
    );
    await expect(
      scanImage(store, { target: `sbom:${join(dir, 'absent.json')}`, scanners: ['secret'] }),
    ).rejects.toThrow(/absent\.json/);
  });
});
