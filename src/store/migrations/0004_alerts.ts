import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/**
 * Run-time alerts. One row per de-duplicated alert (rule × resource × key fields × window): `alert_key`
 * identifies it so that a live engine can raise its count in place.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('alerts'))
    .addColumn('alert_key', 'text', (c) => c.notNull().unique())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_rule').on('alerts').column('rule').execute();
  await db.schema.createIndex('alerts_last_seen').on('alerts').column('last_seen').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerts').execute();
}
