import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** How often the checkpointer copies the write-ahead log back into the database file. */
const INTERVAL_MS = 200;

/**
 * The worker's code, CommonJS evaluated as it is (no file to find next to the compiled or the TypeScript source).
 * Its own connection runs PASSIVE checkpoints: they copy committed pages from the log into the database while the
 * server's connection keeps reading and writing, never waiting for a lock.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Stop after one last checkpoint; the caller then closes its own connection. */
  stop(): Promise<void>;
}

/**
 * Checkpoint a SQLite database in WAL mode from a worker thread instead of on the writer's commits. With SQLite's
 * automatic checkpoint, the commit that pushes the log past 1,000 pages copies them back and syncs the file on
 * the request's own time: an image scan of 300 findings dirties about that many pages, so nearly every ingest paid
 * 40–50 ms of checkpoint at a million findings (bench/center.ts). If the worker cannot run, the automatic
 * checkpoint is switched back on, so the log never grows without bound.
 */
export function startWalCheckpointer(
  sqlite: SqliteDatabase.Database,
  path: string,
  busyTimeoutMs: number,
): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const fallback = () => {
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      busyTimeoutMs,
      intervalMs: INTERVAL_MS,
    },
  });
  // the checkpointer never keeps a process alive on its own
  worker.unref();
  let stopped = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!stopped) fallback();
      resolve();
    });
  });
  worker.on('error', fallback);
  return {
    stop: async () => {
      if (stopped) return exited;
      stopped = true;
      // waited for now: keep the process alive until the last checkpoint is done
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
