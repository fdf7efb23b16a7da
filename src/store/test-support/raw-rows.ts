import { type Kysely, sql } from 'kysely';

/**
 * Rows written with plain SQL, as an older schema's code wrote them: a migration test fills a table at an earlier
 * migration, where the app's typed writers (made for the latest schema) do not apply.
 */
export async function insertRawRows(
  // biome-ignore lint/suspicious/noExplicitAny: a table of an earlier schema is not in today's Database type
  db: Kysely<any>,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const tuples = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c]))})`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(tuples)}`.execute(
    db,
  );
}
