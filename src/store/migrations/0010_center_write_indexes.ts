import type { Kysely } from 'kysely';

/**
 * Measured at issue 13's volume (bench/center.ts). Health is recomputed on every ingest from the open results of
 * each touched resource and its ancestors (`resource_key IN (…) AND state = 'open'`): control results had no index
 * starting with both, and SQLite walked every open control result through the `(state, severity_rank, id)` index
 * instead — 90 ms per image scan at 50,000 control results. The inventory list filters by family and health and
 * sorts by name by default: with 10,000 images, the `(family, health)` index left a sort of every registry-family
 * resource for a page of fifty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('center_control_results_open')
    .on('center_control_results')
    .columns(['resource_key', 'state', 'severity'])
    .execute();
  await db.schema
    .createIndex('center_resources_family_health_name')
    .on('center_resources')
    .columns(['family', 'health', 'name', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('center_resources_family_health_name').execute();
  await db.schema.dropIndex('center_control_results_open').execute();
}
