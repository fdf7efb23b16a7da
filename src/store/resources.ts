import type { Insertable, Kysely, Transaction } from 'kysely';
import { type ResourceRef, resourceKey } from '../core/resource.js';
import { chunksOf } from './insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database, ResourceTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Record that a resource was seen now; first_seen is kept, last_seen and data are refreshed. */
export async function upsertResource(db: Db, ref: ResourceRef, now = new Date()): Promise<string> {
  const key = resourceKey(ref);
  const at = now.toISOString();
  await db
    .insertInto('resources')
    .values({
      key,
      type: ref.type,
      name: ref.name ?? ref.id,
      parent_key: ref.parent ? resourceKey(ref.parent) : null,
      data: toJsonColumn(ref),
      first_seen: at,
      last_seen: at,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ last_seen: at, data: toJsonColumn(ref), name: ref.name ?? ref.id }),
    )
    .execute();
  return key;
}

const RESOURCE_COLUMNS = 7;

/**
 * `upsertResource` for many resources, in multi-row statements (as many rows as the parameter limit allows): the
 * same rows as one call per resource in the same order, for a k8s scan's 10,000 objects without 10,000 statements.
 * A key given twice is stored once, where it first came, with the data of its last; rows are built a statement's
 * worth at a time. Returns the key of each ref, in order.
 */
export async function upsertResources(
  db: Db,
  refs: Iterable<ResourceRef>,
  now = new Date(),
): Promise<string[]> {
  const at = now.toISOString();
  const keys: string[] = [];
  for (const part of chunksOf(refs, RESOURCE_COLUMNS)) {
    // one statement may not touch a row twice (PostgreSQL refuses): the last ref of a key wins, as it would
    const rows = new Map<string, Insertable<ResourceTable>>();
    for (const ref of part) {
      const key = resourceKey(ref);
      keys.push(key);
      const first = rows.get(key);
      const row = {
        key,
        type: first?.type ?? ref.type,
        name: ref.name ?? ref.id,
        parent_key: first ? first.parent_key : ref.parent ? resourceKey(ref.parent) : null,
        data: toJsonColumn(ref),
        first_seen: at,
        last_seen: at,
      };
      rows.set(key, row);
    }
    await db
      .insertInto('resources')
      .values([...rows.values()])
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          last_seen: eb.ref('excluded.last_seen'),
          data: eb.ref('excluded.data'),
          name: eb.ref('excluded.name'),
        })),
      )
      .execute();
  }
  return keys;
}

export interface ResourceRecord {
  key: string;
  ref: ResourceRef | null;
  type: string;
  name: string | null;
  firstSeen: string;
  lastSeen: string;
}

export async function listResources(db: Db, type?: string): Promise<ResourceRecord[]> {
  let query = db.selectFrom('resources').selectAll().orderBy('key');
  if (type) query = query.where('type', '=', type);
  const rows = await query.execute();
  return rows.map((row) => ({
    key: row.key,
    ref: fromJsonColumn<ResourceRef | null>(row.data, null),
    type: row.type,
    name: row.name,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  }));
}
