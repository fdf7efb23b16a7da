import { type Kysely, sql } from 'kysely';
import { isPostgres } from './id-column.js';

/**
 * One index over the images' packages instead of three. Each package of a newly pushed image added an entry at
 * a random place in `center_packages (name, version)`, `center_packages (purl)` and `center_findings
 * (package_name)`: about half of the pages an image scan of 300 findings wrote at a million findings, which the
 * write-ahead log and its checkpoint then copied again (bench/center.ts). Packages are now found by `lookup`
 * (`packageLookup`: the same key from a name and from its purl's name, so the purl filter finds Maven and scoped
 * npm packages, which the purl-name narrowing missed), and a package's findings through the images holding it, by
 * the index on `(resource_key, state, package_name)`, whose entries for one image sit together. Images filed from a
 * scan without a package list get their findings' packages, so that path finds every finding.
 */
/** `packageLookup` (core/package-lookup.ts) as it was when this migration was written: migrations stay frozen. */
function packageLookup(name: string): string {
  const segments = name.split(/[/:]/);
  let last = '';
  for (let i = segments.length - 1; i >= 0 && !last; i--) last = segments[i]!;
  return (last || name).toLowerCase().replace(/[._]/g, '-');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('center_packages')
    .addColumn('lookup', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createIndex('center_packages_resource_purl_tmp')
    .on('center_packages')
    .columns(['resource_key', 'purl'])
    .execute();
  const data = pg
    ? sql`json_build_object('name', f.package_name, 'version', f.package_version, 'type', f.package_type, 'purl', f.purl)::text`
    : sql`json_object('name', f.package_name, 'version', f.package_version, 'type', f.package_type, 'purl', f.purl)`;
  await sql`insert into center_packages (resource_key, name, version, type, purl, data)
    select f.resource_key, f.package_name, f.package_version, f.package_type, f.purl, ${data}
    from center_findings f
    where f.id in (select min(id) from center_findings group by resource_key, purl)
      and not exists (select 1 from center_packages p where p.resource_key = f.resource_key and p.purl = f.purl)
    order by f.id`.execute(db);
  await db.schema.dropIndex('center_packages_resource_purl_tmp').execute();

  const names = await db.selectFrom('center_packages').select('name').distinct().execute();
  for (const { name } of names as { name: string }[])
    await db
      .updateTable('center_packages')
      .set({ lookup: packageLookup(name) })
      .where('name', '=', name)
      .execute();

  await db.schema.dropIndex('center_packages_name').execute();
  await db.schema.dropIndex('center_packages_purl').execute();
  await db.schema
    .createIndex('center_packages_lookup')
    .on('center_packages')
    .columns(['lookup', 'version'])
    .execute();
  await db.schema.dropIndex('center_findings_package').execute();
  await db.schema.dropIndex('center_findings_resource').execute();
  await db.schema
    .createIndex('center_findings_resource')
    .on('center_findings')
    .columns(['resource_key', 'state', 'package_name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('center_findings_resource').execute();
  await db.schema
    .createIndex('center_findings_resource')
    .on('center_findings')
    .columns(['resource_key', 'state'])
    .execute();
  await db.schema
    .createIndex('center_findings_package')
    .on('center_findings')
    .column('package_name')
    .execute();
  await db.schema.dropIndex('center_packages_lookup').execute();
  await db.schema.createIndex('center_packages_purl').on('center_packages').column('purl').execute();
  await db.schema
    .createIndex('center_packages_name')
    .on('center_packages')
    .columns(['name', 'version'])
    .execute();
  await db.schema.alterTable('center_packages').dropColumn('lookup').execute();
}
