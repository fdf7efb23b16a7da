import { type Kysely, sql } from 'kysely';

/**
 * The inventory: one row per assessed resource. Databases written before it already hold control results;
 * their resources are backfilled from those results so that nothing assessed disappears from the inventory.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resources')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('parent_key', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resources_type').on('resources').column('type').execute();

  // resource keys look like `parent/type:id`; the type is the part of the last segment before ':'
  const rows = await db
    .selectFrom('control_results')
    .select([
      'resource_key',
      sql<string>`min(recorded_at)`.as('first_seen'),
      sql<string>`max(recorded_at)`.as('last_seen'),
    ])
    .groupBy('resource_key')
    .execute();
  for (const row of rows as { resource_key: string; first_seen: string; last_seen: string }[]) {
    const slash = row.resource_key.lastIndexOf('/');
    const last = row.resource_key.slice(slash + 1);
    const colon = last.indexOf(':');
    await db
      .insertInto('resources')
      .values({
        key: row.resource_key,
        type: colon > 0 ? last.slice(0, colon) : 'object',
        name: colon > 0 ? last.slice(colon + 1) : last,
        parent_key: slash > 0 ? row.resource_key.slice(0, slash) : null,
        data: '{}',
        first_seen: row.first_seen,
        last_seen: row.last_seen,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resources').execute();
}
