import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingsOf, insertFindings, resolveFindingsOf } from './center-findings.js';
import {
  findImagesByRef,
  getResources,
  getResourcesWithAncestors,
  linkToImage,
  liveKeysWithPrefix,
  markRemoved,
  type NewCenterResource,
  upsertResources,
} from './center-resources.js';
import type { Store } from './open.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

const T = '2026-03-01T00:00:00.000Z';

function row(key: string, parent: string | null, extra: Partial<NewCenterResource> = {}): NewCenterResource {
  return {
    key,
    family: 'hosts',
    type: key.slice(0, key.indexOf(':')),
    name: key,
    parent_key: parent,
    image_key: null,
    image_ref: null,
    health: 'not_assessed',
    counts: '{}',
    attributes: '{}',
    assessed_at: null,
    first_seen: T,
    last_seen: T,
    removed_at: null,
    ...extra,
  };
}

describe.each(DIALECTS)('center repositories on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
  });
  afterEach(async () => {
    await store.close();
    await database.dispose();
  });

  it('upserts thousands of resources in slices and reads them back with their ancestors', async () => {
    const containers = Array.from({ length: 2500 }, (_, i) =>
      row(`container:h/${i}`, 'daemon:h', { image_ref: `sha256:${i % 3}` }),
    );
    await upsertResources(store.db, [row('host:h', null), row('daemon:h', 'host:h'), ...containers]);
    await upsertResources(store.db, [
      row('host:h', null, { name: 'renamed', first_seen: '2030-01-01', health: 'x' }),
    ]);
    const [host] = await getResources(store.db, ['host:h']);
    expect(host).toMatchObject({ name: 'renamed', first_seen: T, health: 'not_assessed' });
    expect(
      (
        await getResources(
          store.db,
          containers.map((c) => c.key),
        )
      ).length,
    ).toBe(2500);
    expect([...(await getResourcesWithAncestors(store.db, ['container:h/7'])).keys()].sort()).toEqual([
      'container:h/7',
      'daemon:h',
      'host:h',
    ]);
    expect((await liveKeysWithPrefix(store.db, ['container:h/'])).length).toBe(2500);
    await markRemoved(store.db, ['container:h/1', 'container:h/2'], T);
    expect((await liveKeysWithPrefix(store.db, ['container:h/', 'daemon:'])).length).toBe(2499);
    // `_` and `%` in a prefix are not wildcards
    expect(await liveKeysWithPrefix(store.db, ['container:_/'])).toEqual([]);
  });

  it('links resources to an image by its runtime names', async () => {
    await upsertResources(store.db, [
      row('image:sha256:m', null, { family: 'registries', image_ref: 'sha256:c' }),
      row('container:h/1', null, { image_ref: 'sha256:c' }),
      row('container:h/2', null, { image_ref: 'sha256:other' }),
    ]);
    expect(await findImagesByRef(store.db, ['sha256:c'])).toEqual([
      { key: 'image:sha256:m', image_ref: 'sha256:c' },
    ]);
    expect(await findImagesByRef(store.db, ['sha256:m'])).toEqual([
      { key: 'image:sha256:m', image_ref: 'sha256:c' },
    ]);
    expect(await linkToImage(store.db, 'image:sha256:m', ['sha256:c', 'sha256:m'])).toEqual([
      'container:h/1',
    ]);
    expect(await linkToImage(store.db, 'image:sha256:m', ['sha256:c'])).toEqual([]);
  });

  it('writes findings in slices and resolves those of removed resources', async () => {
    const findings = Array.from({ length: 1200 }, (_, i) => ({
      result_key: `image:x|CVE-${i}|pkg`,
      resource_key: 'image:x',
      vuln_id: `CVE-${i}`,
      aliases: '[]',
      package_name: 'p',
      package_version: '1',
      package_type: 'deb',
      purl: 'pkg:deb/p@1',
      severity: 'HIGH',
      severity_rank: 3,
      fixed_version: null,
      status: 'fixed',
      state: 'open',
      exception_id: null,
      data: '{}',
      remediation: '',
      report_id: 1,
      first_seen: T,
      last_seen: T,
      resolved_at: null,
    }));
    await insertFindings(store.db, findings);
    expect((await findingsOf(store.db, ['image:x'])).length).toBe(1200);
    expect(await resolveFindingsOf(store.db, ['image:x'], '2026-03-02T00:00:00.000Z')).toBe(1200);
    expect(await resolveFindingsOf(store.db, ['image:x'], '2026-03-03T00:00:00.000Z')).toBe(0);
  });
});
