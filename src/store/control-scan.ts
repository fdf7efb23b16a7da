import type { Kysely } from 'kysely';
import { type ControlResult, type CountedPasses, countedPassTotal } from '../core/results.js';
import { insertControlResults } from './control-results.js';
import { withBoundedPageCache } from './page-cache.js';
import { finishScan, startScan } from './scans.js';
import type { Database } from './schema.js';
import { retryOnBusy } from './write-transaction.js';

/*
 * Use cases over the control-results repositories, as the CLI commands (docker bench, k8s scan, admission
 * audit) call them. Each opens exactly one transaction and hands it to the repositories, which never open
 * their own: either everything of the run is stored or nothing. SQLite keeps a bounded page cache meanwhile
 * (page-cache.ts).
 */

/** Store control results outside a scan row (or under one the caller made): all of them or none. */
export async function saveControlResults(
  db: Kysely<Database>,
  scanId: number | null,
  results: readonly ControlResult[],
  now = new Date(),
): Promise<void> {
  await withBoundedPageCache(db, () =>
    retryOnBusy(() => db.transaction().execute((tx) => insertControlResults(tx, scanId, results, now))),
  );
}

/**
 * Record one posture run (k8s scan, admission audit…) as a scan of `target` with its control results, in one
 * transaction: start, results and finish commit together, so a reader never sees a run half stored. The
 * scan's summary counts the results and the failures no exception suppresses. Returns the scan id. `counted`:
 * passes counted rather than kept in `results`, stored and summed as the results they stand for.
 */
export async function saveControlScan(
  db: Kysely<Database>,
  kind: string,
  target: string,
  results: readonly ControlResult[],
  now = new Date(),
  counted?: CountedPasses,
): Promise<number> {
  return withBoundedPageCache(db, () =>
    retryOnBusy(() =>
      db.transaction().execute(async (tx) => {
        const id = await startScan(tx, kind, target, now);
        await insertControlResults(tx, id, results, now, counted);
        await finishScan(
          tx,
          id,
          {
            results: results.length + countedPassTotal(counted),
            fail: results.filter((r) => r.status === 'fail' && !r.suppressedBy).length,
          },
          now,
        );
        return id;
      }),
    ),
  );
}
