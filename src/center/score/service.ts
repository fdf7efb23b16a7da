import { listScoreSnapshots, saveScoreSnapshot } from '../../store/center-score-snapshots.js';
import type { CenterDeps } from '../deps.js';
import type { ScoreView } from '../types.js';
import { computeScore } from './compute.js';

/** Days of history `get()` returns, today included. */
export const HISTORY_DAYS = 90;

const utcDate = (d: Date) => d.toISOString().slice(0, 10);

export function createScoreService(deps: CenterDeps) {
  return {
    async get(): Promise<ScoreView> {
      const now = deps.clock();
      const since = utcDate(new Date(now.getTime() - (HISTORY_DAYS - 1) * 86_400_000));
      const [current, history] = await Promise.all([
        computeScore(deps.store),
        listScoreSnapshots(deps.store.db, since),
      ]);
      return {
        percentage: current.percentage,
        controls: current.controls,
        history: history.map((s) => ({ date: s.date, percentage: s.percentage })),
      };
    },
    /** Today's row (UTC day of the clock); a second call the same day replaces it with the newer figures. */
    async snapshot(): Promise<void> {
      const now = deps.clock();
      const current = await computeScore(deps.store);
      await saveScoreSnapshot(deps.store.db, {
        date: utcDate(now),
        percentage: current.percentage,
        controls: current.controls,
        takenAt: now.toISOString(),
      });
    },
  };
}
