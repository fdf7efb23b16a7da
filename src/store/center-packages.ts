import type { Insertable, Kysely, Transaction } from 'kysely';
import { insertChunks } from './insert-chunks.js';
import type { CenterPackageTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One package of an image, as the writer takes it. */
export type PackageRowInput = Omit<Insertable<CenterPackageTable>, 'resource_key'>;

/**
 * The image's package list becomes `rows`: its last ImageScan is what "where does this package run" answers.
 * A re-scan with the same list (the usual case) writes nothing. Returns whether the list changed.
 */
export async function replacePackages(
  db: Db,
  resourceKey: string,
  rows: readonly PackageRowInput[],
): Promise<boolean> {
  const stored = await db
    .selectFrom('center_packages')
    .select('data')
    .where('resource_key', '=', resourceKey)
    .orderBy('id')
    .execute();
  if (stored.length === rows.length && stored.every((s, i) => s.data === rows[i]!.data)) return false;
  await db.deleteFrom('center_packages').where('resource_key', '=', resourceKey).execute();
  await insertChunks(
    db,
    'center_packages',
    rows.map((r) => ({ resource_key: resourceKey, ...r })),
  );
  return true;
}
