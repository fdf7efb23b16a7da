import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { CenterReportTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CenterReportRow = Selectable<CenterReportTable>;
/** A report without its body. */
export type ReportHead = Omit<CenterReportRow, 'body' | 'body_deflated'>;

/** The report already received with this body digest, without its body. */
export async function findReportByDigest(db: Db, digest: string): Promise<ReportHead | undefined> {
  return db
    .selectFrom('center_reports')
    .select(['id', 'digest', 'kind', 'engine', 'scope_key', 'received_at', 'principal', 'summary'])
    .where('digest', '=', digest)
    .executeTakeFirst();
}

export async function insertReport(db: Db, row: Insertable<CenterReportTable>): Promise<number> {
  const inserted = await db
    .insertInto('center_reports')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/**
 * What applying the report changed, written once the report is filed (same transaction), with the compressed body
 * when it was left out of the insert: a row is rewritten whole on update, overflow pages included, so a body
 * written at insert and again with the summary cost a large report's pages twice.
 */
export async function setReportSummary(
  db: Db,
  id: number,
  summary: string,
  bodyDeflated?: Buffer,
): Promise<void> {
  await db
    .updateTable('center_reports')
    .set(bodyDeflated === undefined ? { summary } : { summary, body_deflated: bodyDeflated })
    .where('id', '=', id)
    .execute();
}

/** A report's stored body: the compressed text, or for a report received before migration 0015 the text. */
export async function getReportBody(
  db: Db,
  id: number,
): Promise<Pick<CenterReportRow, 'body' | 'body_deflated'> | undefined> {
  return db
    .selectFrom('center_reports')
    .select(['body', 'body_deflated'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One report without its body (the body is only read where it is shown whole). */
export async function getReport(db: Db, id: number): Promise<ReportHead | undefined> {
  return db
    .selectFrom('center_reports')
    .select(['id', 'digest', 'kind', 'engine', 'scope_key', 'received_at', 'principal', 'summary'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface ReportListQuery {
  limit: number;
  /** Continue after this id in the chosen order. */
  after?: number;
  descending: boolean;
}

export async function listReports(db: Db, query: ReportListQuery): Promise<ReportHead[]> {
  let q = db
    .selectFrom('center_reports')
    .select(['id', 'digest', 'kind', 'engine', 'scope_key', 'received_at', 'principal', 'summary'])
    .orderBy('id', query.descending ? 'desc' : 'asc')
    .limit(query.limit);
  if (query.after !== undefined) q = q.where('id', query.descending ? '<' : '>', query.after);
  return q.execute();
}

export async function countReports(db: Db): Promise<number> {
  const row = await db
    .selectFrom('center_reports')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
