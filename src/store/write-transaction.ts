import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { UserInputError } from '../core/errors.js';
import type { Database } from './schema.js';

/** How long a writer keeps trying when another process holds SQLite's write lock. */
export const WRITE_LOCK_WAIT_MS = 60_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Run `fn` in one write transaction. On SQLite it starts with BEGIN IMMEDIATE, so the write lock is taken
 * first (waiting with the busy timeout) instead of upgrading a read transaction later, which fails at once
 * when another process committed in between; if the lock still cannot be had, the whole transaction is retried
 * (`fn` must be safe to run again: keep its effects inside the transaction) until WRITE_LOCK_WAIT_MS, then a
 * one-line error says the store is busy. On PostgreSQL it is an ordinary transaction.
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  fn: (tx: Kysely<Database> | Transaction<Database>) => Promise<T>,
  options: { onRetry?: () => void } = {},
): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return db.transaction().execute(fn);
  const until = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const out = await fn(conn);
          await sql`commit`.execute(conn);
          return out;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > until)
        throw new UserInputError(
          'store',
          `the database is locked by another process (waited ${WRITE_LOCK_WAIT_MS / 1000} s for its write lock)`,
        );
      options.onRetry?.();
      await delay(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  }
}

/**
 * Run a whole transaction again when SQLite reports the store busy (a read transaction that could not become a
 * write one because another process committed first fails at once, without the busy handler), until
 * WRITE_LOCK_WAIT_MS; then a one-line error. `run` must open and finish its own transaction.
 */
export async function retryOnBusy<T>(run: () => Promise<T>): Promise<T> {
  const until = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > until)
        throw new UserInputError(
          'store',
          `the database is locked by another process (waited ${WRITE_LOCK_WAIT_MS / 1000} s for its write lock)`,
        );
      await delay(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
    }
  }
}
