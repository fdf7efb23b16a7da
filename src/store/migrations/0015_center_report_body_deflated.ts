import type { Kysely } from 'kysely';
import { isPostgres } from './id-column.js';

/**
 * A received report is kept as its canonical text compressed (raw DEFLATE): about 170 kB of JSON for an image scan
 * of 300 findings, 13 kB compressed, 45 fewer pages in the transaction that files it and in the checkpoint that
 * copies them (bench/center.ts). Reports received before keep their text in `body`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('center_reports')
    .addColumn('body_deflated', isPostgres(db) ? 'bytea' : 'blob')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('center_reports').dropColumn('body_deflated').execute();
}
