import { afterEach, describe, expect, it } from 'vitest';
import { getImage, listImagePackages, saveImageCatalog } from './images.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

const pkg = (name: string, version: string) => ({
  name,
  version,
  type: 'deb',
  purl: `pkg:deb/debian/${name}@${version}?arch=amd64&distro=debian-12.15`,
  sourceName: name,
  sourceVersion: version,
  layer: 'sha256:aaa',
  path: '/var/lib/dpkg/status',
});

describe.each(DIALECTS)('image catalogs on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('saves an image with its packages, and a new catalog replaces the packages but keeps first_seen', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const packages = Array.from({ length: 1203 }, (_, i) => pkg(`p${String(i).padStart(4, '0')}`, '1.0'));
    await store.db.transaction().execute((tx) =>
      saveImageCatalog(
        tx,
        {
          digest: 'sha256:img',
          reference: 'docker://r/x:1',
          os: { family: 'debian', version: '12' },
          packages,
        },
        new Date('2026-01-01T00:00:00Z'),
      ),
    );
    expect(await listImagePackages(store.db, 'sha256:img')).toEqual(packages);
    await store.db.transaction().execute((tx) =>
      saveImageCatalog(
        tx,
        {
          digest: 'sha256:img',
          reference: 'docker://r/x:2',
          os: { family: 'debian', version: '12' },
          packages: [pkg('bash', '5.2')],
        },
        new Date('2026-02-01T00:00:00Z'),
      ),
    );
    expect(await listImagePackages(store.db, 'sha256:img')).toEqual([pkg('bash', '5.2')]);
    expect(await getImage(store.db, 'sha256:img')).toEqual({
      digest: 'sha256:img',
      reference: 'docker://r/x:2',
      osFamily: 'debian',
      osVersion: '12',
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-02-01T00:00:00.000Z',
    });
    await store.close();
  });
});
