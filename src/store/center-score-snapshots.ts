import type { Kysely, Transaction } from 'kysely';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ScoreSnapshot {
  /** YYYY-MM-DD (UTC). */
  date: string;
  percentage: number | null;
  controls: unknown[];
  takenAt: string;
}

/** The one writer of center_score_snapshots: today's row, replaced if the day already has one. */
export async function saveScoreSnapshot(db: Db, snapshot: ScoreSnapshot): Promise<void> {
  const values = {
    date: snapshot.date,
    percentage: snapshot.percentage,
    controls: toJsonColumn(snapshot.controls),
    taken_at: snapshot.takenAt,
  };
  await db
    .insertInto('center_score_snapshots')
    .values(values)
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({
        percentage: values.percentage,
        controls: values.controls,
        taken_at: values.taken_at,
      }),
    )
    .execute();
}

/** Snapshots from `since` (a date, inclusive), oldest first. */
export async function listScoreSnapshots(db: Db, since: string): Promise<ScoreSnapshot[]> {
  const rows = await db
    .selectFrom('center_score_snapshots')
    .selectAll()
    .where('date', '>=', since)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({
    date: r.date,
    percentage: r.percentage === null ? null : Number(r.percentage),
    controls: fromJsonColumn<unknown[]>(r.controls, []),
    takenAt: r.taken_at,
  }));
}
