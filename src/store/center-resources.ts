import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { chunked } from './insert-chunks.js';
import type { CenterResourceTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterResourceRow = Selectable<CenterResourceTable>;
export type NewCenterResource = Insertable<CenterResourceTable>;

/** The rows of these keys (missing keys are simply absent). */
export async function getResources(db: Db, keys: readonly string[]): Promise<CenterResourceRow[]> {
  const out: CenterResourceRow[] = [];
  for (const chunk of chunked([...new Set(keys)], 1)) {
    if (chunk.length === 0) continue;
    out.push(...(await db.selectFrom('center_resources').selectAll().where('key', 'in', chunk).execute()));
  }
  return out;
}

/** These resources and all their ancestors, by key: one query per level of the tree (at most four). */
export async function getResourcesWithAncestors(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, CenterResourceRow>> {
  const found = new Map<string, CenterResourceRow>();
  let wanted = [...new Set(keys)];
  while (wanted.length > 0) {
    const rows = await getResources(db, wanted);
    for (const row of rows) found.set(row.key, row);
    wanted = [
      ...new Set(rows.map((r) => r.parent_key).filter((k): k is string => k !== null && !found.has(k))),
    ];
  }
  return found;
}

/**
 * Insert new resources and rewrite the inventory columns of existing ones in one statement per slice. Health
 * and counts of existing rows are kept (the caller recomputes them); first_seen never changes.
 */
export async function upsertResources(db: Db, rows: readonly NewCenterResource[]): Promise<void> {
  const columns = new Set(rows.flatMap((r) => Object.keys(r))).size;
  for (const chunk of chunked(rows, Math.max(columns, 1)))
    await db
      .insertInto('center_resources')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          parent_key: eb.ref('excluded.parent_key'),
          image_key: eb.ref('excluded.image_key'),
          image_ref: eb.ref('excluded.image_ref'),
          attributes: eb.ref('excluded.attributes'),
          assessed_at: eb.ref('excluded.assessed_at'),
          last_seen: eb.ref('excluded.last_seen'),
          removed_at: eb.ref('excluded.removed_at'),
        })),
      )
      .execute();
}

/** Image resources known by any of these runtime names (their config digest in image_ref, or their key). */
export async function findImagesByRef(
  db: Db,
  refs: readonly string[],
): Promise<{ key: string; image_ref: string | null }[]> {
  const out: { key: string; image_ref: string | null }[] = [];
  for (const chunk of chunked([...new Set(refs)], 1)) {
    if (chunk.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('center_resources')
        .select(['key', 'image_ref'])
        .where('type', '=', 'image')
        .where((eb) =>
          eb.or([
            eb('image_ref', 'in', chunk),
            eb(
              'key',
              'in',
              chunk.map((r) => `image:${r}`),
            ),
          ]),
        )
        .execute()),
    );
  }
  return out;
}

/** Point every container, pod or workload that runs the image under one of `refs` at the image resource. */
export async function linkToImage(db: Db, imageKey: string, refs: readonly string[]): Promise<string[]> {
  const linked: string[] = [];
  for (const chunk of chunked([...new Set(refs)], 1)) {
    if (chunk.length === 0) continue;
    const rows = await db
      .updateTable('center_resources')
      .set({ image_key: imageKey })
      .where('type', '<>', 'image')
      .where('image_ref', 'in', chunk)
      .where((eb) => eb.or([eb('image_key', 'is', null), eb('image_key', '<>', imageKey)]))
      .returning('key')
      .execute();
    linked.push(...rows.map((r) => r.key));
  }
  return linked;
}

/** Keys of resources not removed whose key starts with one of the prefixes (`container:node-1/`). */
export async function liveKeysWithPrefix(db: Db, prefixes: readonly string[]): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('center_resources')
    .select('key')
    .where('removed_at', 'is', null)
    .where((eb) =>
      eb.or(prefixes.map((p) => eb(sql<string>`substr(${eb.ref('key')}, 1, ${p.length})`, '=', p))),
    )
    .execute();
  return rows.map((r) => r.key);
}

export async function markRemoved(db: Db, keys: readonly string[], now: string): Promise<void> {
  for (const chunk of chunked(keys, 1))
    await db.updateTable('center_resources').set({ removed_at: now }).where('key', 'in', chunk).execute();
}

/** Children not removed, counted by parent and health. */
export async function childHealthCounts(
  db: Db,
  parents: readonly string[],
): Promise<{ parent_key: string; health: string; n: number }[]> {
  const out: { parent_key: string; health: string; n: number }[] = [];
  for (const chunk of chunked(parents, 1)) {
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('center_resources')
      .select(['parent_key', 'health', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('parent_key', 'in', chunk)
      .where('removed_at', 'is', null)
      .groupBy(['parent_key', 'health'])
      .execute();
    for (const r of rows) out.push({ parent_key: r.parent_key!, health: r.health, n: Number(r.n) });
  }
  return out;
}

export async function setHealth(db: Db, key: string, health: string, counts: string): Promise<void> {
  await db.updateTable('center_resources').set({ health, counts }).where('key', '=', key).execute();
}
