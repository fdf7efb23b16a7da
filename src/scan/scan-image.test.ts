import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageLocation } from '../image/reference-name.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { writeRecords } from '../vulndb/store.js';
import { scanImage } from './scan-image.js';
import { fixedBelow, record } from './test-support.js';

let database: TestDatabase;
let store: Store;
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-scan-image-'));
const sbom = join(dir, 'app.cdx.json');
const rootfs = join(dir, 'rootfs');

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  store = await database.open();
  await writeRecords(
    store.db,
    [record('osv', 'GHSA-lodash', { namespace: 'npm', package: 'lodash', ranges: fixedBelow('4.17.21') })],
    'test',
  );
  writeFileSync(
    sbom,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [{ type: 'library', name: 'lodash', version: '4.17.4', purl: 'pkg:npm/lodash@4.17.4' }],
    }),
  );
  mkdirSync(join(rootfs, 'app', 'node_modules', 'lodash'), { recursive: true });
  writeFileSync(
    join(rootfs, 'app', 'node_modules', 'lodash', 'package.json'),
    JSON.stringify({ name: 'lodash', version: '4.17.4' }),
  );
});

afterAll(async () => {
  await store.close();
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('scanImage', () => {
  it('returns the ImageScan document with engine, assessed, packages, and the gate as a value', async () => {
    const notices: string[] = [];
    const outcome = await scanImage(
      store,
      { target: `sbom:${sbom}`, exitCode: 3, store: false },
      { notice: (m) => notices.push(m) },
    );
    expect(outcome.gate).toEqual({ exitCode: 3, secretsOrLicenses: false });
    expect(process.exitCode).toBeUndefined();
    const doc = outcome.document;
    expect(doc).toMatchObject({
      kind: 'ImageScan',
      engine: 'image-scan',
      origin: {},
      complete: true,
      healthy: false,
      assessed: [{ type: 'image', id: doc.target, name: doc.target }],
      packages: [{ name: 'lodash', version: '4.17.4', type: 'npm', purl: 'pkg:npm/lodash@4.17.4' }],
    });
    // an SBOM has no registry: the center files it as local
    expect(doc.artifact).not.toHaveProperty('registry');
    expect(doc.vulnerabilities.map((v) => v.id)).toEqual(['GHSA-lodash']);
    expect(outcome.report.document).toBe(doc);
  });

  it('scans a root file system with layer progress hooks off, no gate when none is asked', async () => {
    const outcome = await scanImage(store, { target: `dir:${rootfs}` });
    expect(outcome.gate.exitCode).toBe(0);
    expect(outcome.document.packages).toEqual([
      expect.objectContaining({
        name: 'lodash',
        version: '4.17.4',
        path: '/app/node_modules/lodash/package.json',
      }),
    ]);
    expect(outcome.document.artifact).not.toHaveProperty('registry');
    const scans = await store.db.selectFrom('scans').select('target').execute();
    expect(scans.map((s) => s.target)).toContain(outcome.document.target);
  });
});

describe('imageLocation', () => {
  it('names the registry as host[:port] (docker.io for Hub) and the repository without tag or digest', () => {
    expect(imageLocation('nginx:1.25')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(imageLocation('registry-1.docker.io/library/nginx:latest')).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
    });
    expect(imageLocation(`127.0.0.1:5000/team/app@sha256:${'a'.repeat(64)}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
    });
    expect(imageLocation('docker://ghcr.io/org/tool')).toEqual({
      registry: 'ghcr.io',
      repository: 'org/tool',
    });
  });
});
