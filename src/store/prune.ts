import { type Kysely, sql } from 'kysely';
import { compareText } from '../core/collate.js';
import type { Database } from './schema.js';

export interface PruneOptions {
  /** Scans started before this time go (unless kept as one of the newest of their kind and target). */
  before: Date;
  /** The newest N scans of each kind × target always stay: the results still open (default 1). */
  keepLast?: number;
}

/**
 * Delete old scans with their findings and control results, in one transaction; the newest `keepLast` scans of every
 * kind × target stay whatever their age, so the current state of everything scanned survives. Returns the scans
 * removed. SQLite then gets its space back (VACUUM); PostgreSQL's autovacuum does that on its own.
 */
export async function pruneScans(
  db: Kysely<Database>,
  dialect: string,
  options: PruneOptions,
): Promise<{ scans: number }> {
  const keepLast = options.keepLast ?? 1;
  const cutoff = options.before.toISOString();
  const scans = await db.selectFrom('scans').select(['id', 'kind', 'target', 'started_at']).execute();
  const byTarget = new Map<string, typeof scans>();
  for (const s of scans) {
    const key = `${s.kind}\u0000${s.target}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), s]);
  }
  const doomed: number[] = [];
  for (const list of byTarget.values()) {
    list.sort((a, b) => compareText(b.started_at, a.started_at) || b.id - a.id);
    for (const s of list.slice(keepLast)) if (s.started_at < cutoff) doomed.push(s.id);
  }
  if (doomed.length > 0)
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < doomed.length; i += 500) {
        const ids = doomed.slice(i, i + 500);
        await tx.deleteFrom('findings').where('scan_id', 'in', ids).execute();
        await tx.deleteFrom('control_results').where('scan_id', 'in', ids).execute();
        await tx.deleteFrom('scans').where('id', 'in', ids).execute();
      }
    });
  if (doomed.length > 0 && dialect === 'sqlite') await sql`VACUUM`.execute(db);
  return { scans: doomed.length };
}

/** `30d`, `12h`, `2w` → milliseconds; undefined for anything else. */
export function parseAge(text: string): number | undefined {
  const m = /^(\d+)\s*([hdw])$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}
