import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { writeRecords } from '../vulndb/store.js';
import { rematch, saveImageScan, scanFindings, storedImage } from './persist.js';
import { scanPackages } from './scan.js';
import { deb, fixedBelow, npmPkg, record } from './test-support.js';
import type { ScanInput } from './types.js';

const input: ScanInput = {
  target: 'docker://registry.local/app:1',
  digest: 'sha256:0123',
  os: { family: 'debian', version: '12' },
  packages: [deb('libssl3', '3.0.11-1~deb12u1', 'openssl', '3.0.11-1~deb12u1'), npmPkg('minimist', '1.2.0')],
};

describe.each(DIALECTS)('persistence and rematch (%s)', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    await writeRecords(
      store.db,
      [
        record('debian-tracker', 'CVE-2023-0001', {
          namespace: 'deb/debian/12',
          package: 'openssl',
          ranges: fixedBelow('3.0.13-1~deb12u1'),
        }),
      ],
      'first',
    );
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('stores the image, its packages and the findings; rematch uses the stored packages and new advisories', async () => {
    const first = await scanPackages(store.db, input);
    expect(first.vulnerabilities.map((f) => f.id)).toEqual(['CVE-2023-0001']);
    const scanId = await saveImageScan(store.db, input, first);
    expect((await scanFindings(store.db, scanId)).map((f) => [f.id, f.package.name])).toEqual([
      ['CVE-2023-0001', 'libssl3'],
    ]);
    const stored = await storedImage(store.db, input.digest!);
    expect(stored?.packages).toEqual(input.packages);
    expect(stored?.os).toEqual(input.os);

    // a new advisory arrives: the re-match finds it without the image
    await writeRecords(
      store.db,
      [
        record('nodejs-security-wg', 'NSWG-2', {
          namespace: 'npm',
          package: 'minimist',
          ranges: [{ type: 'REQUIREMENTS', affected: '<1.2.6', unaffected: ['>=1.2.6'] }],
          fixedVersion: '1.2.6',
        }),
      ],
      'second',
    );
    const again = await rematch(store.db, input.digest!);
    expect(again?.result.vulnerabilities.map((f) => f.id).sort()).toEqual(['CVE-2023-0001', 'NSWG-2']);
    expect(again?.scanId).toBeGreaterThan(scanId);
    expect((await scanFindings(store.db, again!.scanId!)).length).toBe(2);
    const scans = await store.db.selectFrom('scans').select(['kind', 'target']).orderBy('id').execute();
    expect(scans).toEqual([
      { kind: 'image', target: input.target },
      { kind: 'image-rematch', target: input.target },
    ]);
    // scanning the image again replaces its packages, keeps one image row
    await saveImageScan(store.db, { ...input, packages: input.packages.slice(0, 1) }, first);
    expect((await storedImage(store.db, input.digest!))?.packages).toHaveLength(1);
    expect(await rematch(store.db, 'sha256:unknown')).toBeUndefined();
  });
});
