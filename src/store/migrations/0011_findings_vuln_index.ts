import type { Kysely } from 'kysely';

/**
 * The `vuln_id` index of center findings served no query: the vulnerability filter asks `vuln_id = ? OR aliases
 * LIKE '%"id"%'`, and an OR with an unanchored LIKE is answered by a scan whatever the index. Its keys are spread at
 * random over a million findings, so each pushed image scan dirtied a leaf page per finding for it — about 300 of
 * the pages a 300-finding report wrote and committed (bench/center.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('center_findings_vuln').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('center_findings_vuln').on('center_findings').column('vuln_id').execute();
}
