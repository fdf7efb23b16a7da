import type { Kysely } from 'kysely';

/**
 * Lists of results are sorted by severity (then id) across all states by default. The `(state, severity_rank,
 * id)` indexes of 0007 serve that order only once a state is chosen; without one SQLite sorted a million findings
 * for a page of fifty. These indexes serve the unfiltered order and counts by severity.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['center_findings', 'center_control_results', 'center_alerts'])
    await db.schema.createIndex(`${table}_severity`).on(table).columns(['severity_rank', 'id']).execute();
  // Recommendations, score and compliance group every control result by (control, resource): this index lets the
  // grouping stream without a sort, and covers the verdict's state and status.
  await db.schema
    .createIndex('center_control_results_verdict')
    .on('center_control_results')
    .columns(['control', 'resource_key', 'state', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('center_control_results_verdict').execute();
  for (const table of ['center_findings', 'center_control_results', 'center_alerts'])
    await db.schema.dropIndex(`${table}_severity`).execute();
}
