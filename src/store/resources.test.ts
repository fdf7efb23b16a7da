import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceRef } from '../core/resource.js';
import { rowsPerStatement } from './insert-chunks.js';
import { upsertResource, upsertResources } from './resources.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

/**
 * A scan's resources: more than one statement's worth, one key given twice with other data (the last wins), one
 * with a parent, and keys already stored by an earlier run (their first_seen stays).
 */
function scanRefs(): ResourceRef[] {
  const refs: ResourceRef[] = Array.from({ length: rowsPerStatement(7) + 20 }, (_, i) => ({
    type: 'pod',
    id: `ns${i % 7}/Pod/p${i}`,
    name: `p${i}`,
    kind: 'Pod',
    namespace: `ns${i % 7}`,
  }));
  refs.push({ type: 'pod', id: 'ns3/Pod/p3', name: 'renamed', kind: 'Pod', namespace: 'ns3' });
  refs.push({ type: 'container', id: 'c', parent: { type: 'pod', id: 'ns1/Pod/p1' } });
  // the same key again after the statement boundary
  refs.push({ type: 'pod', id: 'ns2/Pod/p2', kind: 'Pod' });
  return refs;
}

const earlier = new Date('2026-01-01T00:00:00Z');
const now = new Date('2026-02-01T00:00:00Z');

async function storedRows(
  db: TestDatabase,
  write: (tx: Parameters<typeof upsertResource>[0]) => Promise<void>,
) {
  const store = await db.open();
  try {
    await upsertResource(store.db, { type: 'pod', id: 'ns5/Pod/p5', name: 'before' }, earlier);
    await upsertResource(store.db, { type: 'pod', id: 'gone', name: 'gone' }, earlier);
    await store.db.transaction().execute(write);
    return await store.db.selectFrom('resources').selectAll().orderBy('key').execute();
  } finally {
    await store.close();
  }
}

describe.each(DIALECTS)('upsertResources on %s', (dialect) => {
  const dbs: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.dispose();
  });

  it('stores the rows one upsertResource per resource stores, and gives each key in order', async () => {
    const [one, batch] = [await freshDatabase(dialect), await freshDatabase(dialect)];
    dbs.push(one, batch);
    const refs = scanRefs();
    const expected = await storedRows(one, async (tx) => {
      for (const ref of refs) await upsertResource(tx, ref, now);
    });
    let keys: string[] = [];
    const got = await storedRows(batch, async (tx) => {
      keys = await upsertResources(tx, refs, now);
    });
    expect(got).toEqual(expected);
    expect(got.length).toBe(rowsPerStatement(7) + 20 + 2);
    expect(got.find((r) => r.key === 'pod:ns5/Pod/p5')?.first_seen).toBe(earlier.toISOString());
    expect(got.find((r) => r.key === 'pod:ns3/Pod/p3')?.name).toBe('renamed');
    expect(keys).toEqual(refs.map((r) => `${r.parent ? `pod:${r.parent.id}/` : ''}${r.type}:${r.id}`));
  });
});
