import type { Center } from '../center/index.js';

/** How often expiry is checked; an exception past its date re-opens what it covered within this time. */
export const EXPIRY_INTERVAL_MS = 60_000;
/** How often today's score snapshot is refreshed (the last one of a day is that day's point of the trend). */
export const SNAPSHOT_INTERVAL_MS = 60 * 60_000;

export interface Housekeeping {
  /** Wait for a round in progress, then stop the timers. */
  stop(): Promise<void>;
}

/**
 * The center's own periodic work until the job queue of a later step takes it over: expire exceptions (the
 * service re-opens what they covered and audit-logs it) and keep today's secure-score snapshot. Both run once at
 * start, so a center that was down over an expiry date or midnight catches up at once. A failed round is reported
 * and retried at the next tick; it never stops the server.
 */
export async function startHousekeeping(
  center: Center,
  onError: (what: string, error: unknown) => void,
): Promise<Housekeeping> {
  let running: Promise<void> = Promise.resolve();
  const round = (what: string, work: () => Promise<unknown>) => {
    running = running.then(() =>
      work().then(
        () => undefined,
        (error: unknown) => onError(what, error),
      ),
    );
    return running;
  };
  const expire = () => round('exception expiry', () => center.exceptions.expire());
  const snapshot = () => round('score snapshot', () => center.score.snapshot());
  await expire();
  await snapshot();
  const timers = [setInterval(expire, EXPIRY_INTERVAL_MS), setInterval(snapshot, SNAPSHOT_INTERVAL_MS)];
  for (const t of timers) t.unref();
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
      await running;
    },
  };
}
