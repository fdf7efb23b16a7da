import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/** Advisories and their sources, images and their packages, scans with findings and control results. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('advisory_sources'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('newest', 'text')
    .addColumn('url', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .execute();

  await withId(db, db.schema.createTable('advisories'))
    .addColumn('source_id', 'integer', (c) =>
      c.notNull().references('advisory_sources.id').onDelete('cascade'),
    )
    .addColumn('vuln_id', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('ranges', 'text', (c) => c.notNull())
    .addColumn('fixed_version', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('published', 'text')
    .addColumn('modified', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addUniqueConstraint('advisories_key', ['source_id', 'vuln_id', 'namespace', 'package'])
    .execute();
  await db.schema
    .createIndex('advisories_lookup')
    .on('advisories')
    .columns(['namespace', 'package'])
    .execute();

  await db.schema
    .createTable('images')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('os_family', 'text')
    .addColumn('os_version', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('image_packages'))
    .addColumn('image_digest', 'text', (c) => c.notNull().references('images.digest').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('purl', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text')
    .addColumn('source_version', 'text')
    .addColumn('layer', 'text')
    .addColumn('path', 'text')
    .execute();
  await db.schema.createIndex('image_packages_image').on('image_packages').column('image_digest').execute();

  await withId(db, db.schema.createTable('scans'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('findings'))
    .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id').onDelete('cascade'))
    .addColumn('image_digest', 'text')
    .addColumn('vuln_id', 'text', (c) => c.notNull())
    .addColumn('purl', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('package_version', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fixed_version', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('findings_scan').on('findings').column('scan_id').execute();

  await withId(db, db.schema.createTable('control_results'))
    .addColumn('scan_id', 'integer', (c) => c.references('scans.id').onDelete('cascade'))
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('control', 'text', (c) => c.notNull())
    .addColumn('control_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('control_results_resource')
    .on('control_results')
    .columns(['resource_key', 'control'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'control_results',
    'findings',
    'scans',
    'image_packages',
    'images',
    'advisories',
    'advisory_sources',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
