import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { errorMessage, UserInputError } from '../core/errors.js';
import type { Store } from './open.js';

/**
 * A consistent copy of the SQLite store while it is in use (VACUUM INTO reads one snapshot; writers go on).
 * PostgreSQL has its own tools (pg_dump).
 */
export async function backupSqlite(store: Store, file: string): Promise<string> {
  if (store.dialect !== 'sqlite') {
    throw new UserInputError(
      store.location,
      'store backup is for the SQLite store; use pg_dump for PostgreSQL',
    );
  }
  const target = resolve(file);
  if (existsSync(target)) throw new UserInputError(file, 'exists already; give a new file');
  try {
    await sql`VACUUM INTO ${target}`.execute(store.db);
  } catch (error) {
    throw new UserInputError(file, `cannot write the backup: ${errorMessage(error)}`);
  }
  return target;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Whether `file` is a SQLite database that holds Bulkhead's migrations table with its first migration. */
export function isBulkheadDatabase(file: string): boolean {
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) return false;
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT name FROM kysely_migration WHERE name = '0001_initial'").get();
    return row !== undefined;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * Replace the SQLite store at `target` by the backup `file`, atomically (copy beside it, then rename over it).
 * The current database is checkpointed first so that no write-ahead log of the old file outlives it. Stop
 * `serve` before restoring: a running process keeps the old file open.
 */
export function restoreSqlite(file: string, target: string): void {
  const source = resolve(file);
  if (!isBulkheadDatabase(source))
    throw new UserInputError(file, 'not a Bulkhead database; nothing restored');
  const tmp = `${target}.restore-${process.pid}`;
  copyFileSync(source, tmp);
  try {
    if (existsSync(target)) {
      const current = new SqliteDatabase(target);
      try {
        current.pragma('wal_checkpoint(TRUNCATE)');
        current.pragma('journal_mode = DELETE');
      } finally {
        current.close();
      }
    }
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new UserInputError(target, `cannot restore: ${errorMessage(error)}`);
  }
}
