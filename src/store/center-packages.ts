import type { Insertable, Kysely, Transaction } from 'kysely';
import { insertChunks } from './center-chunks.js';
import type { CenterPackageTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The image's package list becomes `rows`: its last ImageScan is what "where does this package run" answers. */
export async function replacePackages(
  db: Db,
  resourceKey: string,
  rows: readonly Omit<Insertable<CenterPackageTable>, 'resource_key'>[],
): Promise<void> {
  await db.deleteFrom('center_packages').where('resource_key', '=', resourceKey).execute();
  await insertChunks(
    rows.map((r) => ({ resource_key: resourceKey, ...r })),
    (chunk) => db.insertInto('center_packages').values(chunk).execute(),
  );
}
