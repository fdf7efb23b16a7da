import type { Kysely, Transaction } from 'kysely';
import { type ResourceRef, resourceKey } from '../core/resource.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database } from './schema.js';

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
