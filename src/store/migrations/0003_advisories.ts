import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/**
 * The advisory database, normalized: one row per published record (source × vulnerability id), one row per
 * affected package of it (namespace × package, with OSV-style ranges and a state), and its aliases. The
 * 0001 tables held no data yet, so they are replaced.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('advisories').execute();
  await db.schema.dropTable('advisory_sources').execute();

  await withId(db, db.schema.createTable('advisory_sources'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('newest', 'text')
    .execute();

  await withId(db, db.schema.createTable('advisory_records'))
    .addColumn('source_id', 'integer', (c) =>
      c.notNull().references('advisory_sources.id').onDelete('cascade'),
    )
    .addColumn('vuln_id', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('refs', 'text', (c) => c.notNull())
    .addColumn('published', 'text')
    .addColumn('modified', 'text')
    .addColumn('withdrawn', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addUniqueConstraint('advisory_records_key', ['source_id', 'vuln_id'])
    .execute();
  await db.schema.createIndex('advisory_records_vuln').on('advisory_records').column('vuln_id').execute();

  await withId(db, db.schema.createTable('advisories'))
    .addColumn('record_id', 'integer', (c) =>
      c.notNull().references('advisory_records.id').onDelete('cascade'),
    )
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('ranges', 'text', (c) => c.notNull())
    .addColumn('versions', 'text', (c) => c.notNull())
    .addColumn('fixed_version', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addUniqueConstraint('advisories_key', ['record_id', 'namespace', 'package'])
    .execute();
  await db.schema
    .createIndex('advisories_lookup')
    .on('advisories')
    .columns(['namespace', 'package'])
    .execute();

  await db.schema
    .createTable('advisory_aliases')
    .addColumn('record_id', 'integer', (c) =>
      c.notNull().references('advisory_records.id').onDelete('cascade'),
    )
    .addColumn('alias', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_aliases_key', ['record_id', 'alias'])
    .execute();
  await db.schema.createIndex('advisory_aliases_alias').on('advisory_aliases').column('alias').execute();

  await db.schema
    .createTable('advisory_feed_state')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('sha256', 'text')
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'advisory_feed_state',
    'advisory_aliases',
    'advisories',
    'advisory_records',
    'advisory_sources',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  // the 0001 shape, empty
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
}
