import type { Kysely } from 'kysely';
import { withId } from './id-column.js';

/**
 * Admission webhook decisions: one row per decided request (dry runs excluded), with the strongest action taken
 * (`deny`, `warn`, `audit`, `allow`) and the violations as JSON.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('admission_decisions'))
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('namespace', 'text')
    .addColumn('name', 'text')
    .addColumn('username', 'text')
    .addColumn('allowed', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('skipped', 'text')
    .addColumn('violations', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admission_decisions_decided_at')
    .on('admission_decisions')
    .column('decided_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admission_decisions').execute();
}
