import { type Kysely, sql } from 'kysely';
import { isPostgres } from './id-column.js';

/**
 * What a result list shows of each row gets its own columns: the title, message, remediation (and for alerts the
 * tactic, technique and evidence) were read out of the whole result document in `data`, parsed for every row of
 * every page, which cost more than the page's query (bench/center.ts). Existing rows are filled from `data`.
 */
const COLUMNS: Record<string, [name: string, notNullDefault: string | null][]> = {
  center_findings: [
    ['title', null],
    ['remediation', ''],
  ],
  center_control_results: [
    ['title', null],
    ['message', ''],
    ['field', null],
    ['remediation', null],
  ],
  center_alerts: [
    ['title', null],
    ['tactic', ''],
    ['technique', null],
    ['evidence', '{}'],
  ],
};

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  for (const [table, columns] of Object.entries(COLUMNS)) {
    for (const [name, fallback] of columns)
      await db.schema
        .alterTable(table)
        .addColumn(name, 'text', (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
        .execute();
    // a string member of `data`, or the column's default when it is absent or not a string
    const member = (name: string) =>
      pg
        ? sql`case when json_typeof(data::json -> ${name}) = 'string' then data::json ->> ${name} end`
        : sql`case when json_type(data, ${`$.${name}`}) = 'text' then json_extract(data, ${`$.${name}`}) end`;
    const object = (name: string) =>
      pg
        ? sql`case when json_typeof(data::json -> ${name}) = 'object' then (data::json -> ${name})::text end`
        : sql`case when json_type(data, ${`$.${name}`}) = 'object' then json_extract(data, ${`$.${name}`}) end`;
    const set: Record<string, unknown> = {};
    for (const [name, fallback] of columns) {
      const value = name === 'evidence' ? object(name) : member(name);
      set[name] = fallback === null ? value : sql`coalesce(${value}, ${fallback})`;
    }
    await db.updateTable(table).set(set).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, columns] of Object.entries(COLUMNS))
    for (const [name] of columns) await db.schema.alterTable(table).dropColumn(name).execute();
}
