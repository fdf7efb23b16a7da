import type { Kysely, Transaction } from 'kysely';
import { isOsPackageType } from '../core/results.js';
import type { Database } from '../store/schema.js';
import { osNamespace } from './namespace.js';
import type { ScanInput } from './types.js';

/**
 * What the database cannot say about this input, as warnings: an empty database, or no advisories at all for
 * the image's distro release (its OS packages then match nothing, which is not the same as being safe).
 */
export async function coverageWarnings(
  db: Kysely<Database> | Transaction<Database>,
  input: ScanInput,
): Promise<string[]> {
  const any = await db.selectFrom('advisories').select('id').limit(1).executeTakeFirst();
  if (!any) return ['the advisory database is empty: run `bulkhead db import` or `bulkhead db update` first'];
  const hasOsPackages = input.packages.some((p) => isOsPackageType(p.type));
  if (!hasOsPackages || !input.os) return [];
  const namespace = osNamespace(input.os);
  const label = `${input.os.family} ${input.os.version}`;
  if (!namespace) return [`no advisory source covers ${label}: its OS packages were not matched`];
  const row = await db
    .selectFrom('advisories')
    .select('id')
    .where('namespace', '=', namespace)
    .limit(1)
    .executeTakeFirst();
  return row
    ? []
    : [`the database has no advisories for ${label} (${namespace}): its OS packages matched nothing`];
}
