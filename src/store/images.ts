import type { Kysely, Transaction } from 'kysely';
import { insertChunks } from './insert-chunks.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the catalog of an image (src/sbom) hands the store: kept free of engine types. */
export interface ImageCatalogInput {
  digest: string;
  reference: string;
  os?: { family: string; version: string } | undefined;
  packages: readonly {
    name: string;
    version: string;
    type: string;
    purl: string;
    sourceName?: string;
    sourceVersion?: string;
    layer?: string;
    path?: string;
  }[];
}

export interface StoredImage {
  digest: string;
  reference: string;
  osFamily: string | null;
  osVersion: string | null;
  firstSeen: string;
  lastSeen: string;
}

/**
 * Record an image and the packages found in it: the image row is upserted (first seen kept), its packages
 * replaced by this catalog. The only writer of `images` and `image_packages`. Takes a transaction because a
 * delete-then-insert seen half done would show an image without packages.
 */
export async function saveImageCatalog(
  tx: Transaction<Database>,
  input: ImageCatalogInput,
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  await tx
    .insertInto('images')
    .values({
      digest: input.digest,
      reference: input.reference,
      os_family: input.os?.family ?? null,
      os_version: input.os?.version ?? null,
      first_seen: at,
      last_seen: at,
    })
    .onConflict((oc) =>
      oc.column('digest').doUpdateSet({
        reference: input.reference,
        os_family: input.os?.family ?? null,
        os_version: input.os?.version ?? null,
        last_seen: at,
      }),
    )
    .execute();
  await tx.deleteFrom('image_packages').where('image_digest', '=', input.digest).execute();
  await insertChunks(
    tx,
    'image_packages',
    input.packages.map((p) => ({
      image_digest: input.digest,
      name: p.name,
      version: p.version,
      type: p.type,
      purl: p.purl,
      source_name: p.sourceName ?? null,
      source_version: p.sourceVersion ?? null,
      layer: p.layer ?? null,
      path: p.path ?? null,
    })),
  );
}

export async function getImage(db: Db, digest: string): Promise<StoredImage | undefined> {
  const row = await db.selectFrom('images').selectAll().where('digest', '=', digest).executeTakeFirst();
  if (!row) return undefined;
  return {
    digest: row.digest,
    reference: row.reference,
    osFamily: row.os_family,
    osVersion: row.os_version,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

/**
 * The packages last catalogued for an image: by type, name and version, or as the catalog listed them
 * (`written`, what a re-match reads so that it sees the packages in the order the scan did).
 */
export async function listImagePackages(db: Db, digest: string, order: 'name' | 'written' = 'name') {
  let q = db.selectFrom('image_packages').selectAll().where('image_digest', '=', digest);
  if (order === 'name') q = q.orderBy('type').orderBy('name').orderBy('version');
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    name: r.name,
    version: r.version,
    type: r.type,
    purl: r.purl,
    ...(r.source_name !== null ? { sourceName: r.source_name } : {}),
    ...(r.source_version !== null ? { sourceVersion: r.source_version } : {}),
    ...(r.layer !== null ? { layer: r.layer } : {}),
    ...(r.path !== null ? { path: r.path } : {}),
  }));
}
