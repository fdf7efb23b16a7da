import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import {
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  type SqliteDatabase as KyselySqliteDatabase,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
} from 'kysely';
import pg from 'pg';
import { errorMessage, redactUrl, UserInputError } from '../core/errors.js';
import { LATEST_MIGRATION, migrationProvider, migrations } from './migrations/index.js';
import { preparePrivateStore, tightenStoreFiles } from './private-files.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

/** How long a SQLite connection waits for another process's write lock before failing (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5000;
/**
 * The wait while opening: switching to WAL and the migration lock queue behind another process that is migrating
 * the same file, which on a fresh file means every migration; several processes starting at once (serve and CLI
 * commands, or test workers) queue longer than one write ever takes.
 */
const OPEN_BUSY_TIMEOUT_MS = 60_000;

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** PostgreSQL schema the store lives in, when the URL named one (`?schema=`). */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…`, `sqlite:PATH`, `file:PATH` or a plain path. Default: SQLite at `<home>/bulkhead.db`. */
  url?: string | undefined;
  /** Bulkhead's home directory, for the default SQLite file. */
  home: string;
  /** Run migrations up to this name instead of the latest (tests of old databases). */
  migrateTo?: string;
  /**
   * SQLite: checkpoint the write-ahead log from a worker thread rather than on commits (wal-checkpointer.ts).
   * For long-running writers (`serve`); short CLI commands keep SQLite's automatic checkpoint.
   */
  backgroundCheckpoint?: boolean;
  /** Told when an existing home or database file open to others was tightened to the owner only. */
  warn?: (message: string) => void;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** Where the store is: a PostgreSQL URL or a SQLite file. */
export type DatabaseTarget = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; path: string };

/**
 * The one reading of `--database` / `BULKHEAD_DATABASE_URL`: `postgres://…`, `sqlite:PATH`, `file:PATH` or a plain
 * path (default `<home>/bulkhead.db`). A URL that cannot be used as given (not parseable, another database's
 * scheme, no file named) is a UserInputError naming it, before anything is opened or created.
 */
export function databaseTarget(url: string | undefined, home: string): DatabaseTarget {
  if (!url) return { dialect: 'sqlite', path: join(home, 'bulkhead.db') };
  const shown = redactUrl(url);
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new UserInputError(shown, 'not a valid URL (postgres://user:password@host:port/database)');
    }
    return { dialect: 'postgres', url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme && !/^(sqlite|file)$/i.test(scheme))
    throw new UserInputError(
      shown,
      `unsupported database "${scheme}:": give postgres://… for PostgreSQL, or sqlite:PATH or a file path for SQLite`,
    );
  const path = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  if (path.trim() === '') throw new UserInputError(shown, 'names no database file (sqlite:PATH)');
  return { dialect: 'sqlite', path: resolve(path) };
}

/** The SQLite file a URL names, or the default under home. */
export function sqlitePath(url: string | undefined, home: string): string {
  const target = databaseTarget(url, home);
  if (target.dialect === 'sqlite') return target.path;
  throw new UserInputError(redactUrl(target.url), 'names a PostgreSQL database, not a SQLite file');
}

/** An opened store before migration, with the lock that keeps two processes from migrating it at once. */
interface Opened {
  store: Store;
  /** Run `fn` while no other process can migrate (or write to) this database. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** Open the database named by `url` (or the default), create it if needed and bring it to the latest schema. */
export async function openStore(options: OpenOptions): Promise<Store> {
  const target = databaseTarget(options.url, options.home);
  const { store, exclusive } =
    target.dialect === 'postgres'
      ? await openPostgres(target.url)
      : await openSqlite(target.path, options.backgroundCheckpoint === true, {
          before: (path) => preparePrivateStore(path, options.home, options.warn ?? (() => {})),
          after: (path) => tightenStoreFiles(path, options.warn ?? (() => {})),
        });
  try {
    await exclusive(() => migrate(store, options.migrateTo));
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function notADatabase(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_NOTADB';
}

/** SQLITE_READONLY and its extended codes: the file (or its directory, for the WAL files) is not writable. */
function readOnly(error: unknown): boolean {
  return /^SQLITE_READONLY/.test(String((error as { code?: unknown } | null)?.code ?? ''));
}

/**
 * The database as Kysely sees it, where a write refused because the file is read-only becomes a UserInputError
 * naming the file: SQLite opens a file it may not write read-only without a word, so the refusal comes with the
 * first write, from whichever command made it.
 */
function namingReadOnly(database: KyselySqliteDatabase, path: string): KyselySqliteDatabase {
  const named = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (readOnly(error)) throw new UserInputError(path, 'the database is read-only', { cause: error });
      throw error;
    }
  };
  return {
    close: () => database.close(),
    prepare: (query) => {
      const stmt = database.prepare(query);
      return {
        reader: stmt.reader,
        all: (parameters) => named(() => stmt.all(parameters)),
        run: (parameters) => named(() => stmt.run(parameters)),
        iterate: (parameters) => stmt.iterate(parameters),
      };
    },
  };
}

function isBusy(error: unknown): boolean {
  return /^SQLITE_BUSY/.test(String((error as { code?: unknown } | null)?.code ?? ''));
}

/**
 * Switch to WAL. While another process creates or migrates the same fresh file, SQLite can answer SQLITE_BUSY at
 * once, without calling the busy handler (a lock upgrade it cannot wait for without risking a deadlock), so the
 * switch is retried until the open timeout.
 */
async function enableWal(sqlite: SqliteDatabase.Database): Promise<void> {
  const until = Date.now() + OPEN_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() > until) throw error;
      await delay(20 + Math.random() * 80);
    }
  }
}

async function openSqlite(
  path: string,
  backgroundCheckpoint: boolean,
  files: { before: (path: string) => void; after: (path: string) => void },
): Promise<Opened> {
  try {
    files.before(path);
    // busy_timeout first: WAL mode and the migration lock below wait for another process instead of failing
    const sqlite = new SqliteDatabase(path, { timeout: OPEN_BUSY_TIMEOUT_MS });
    sqlite.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
    await enableWal(sqlite);
    files.after(path);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    // SQLite's default page cache is 2 MiB: an image scan of 300 findings updates six indexes over a million
    // findings, and with that cache nearly every index page was read again from the OS on each ingest. 64 MiB
    // keeps the upper levels and recently written leaves of those indexes (bench/center.ts).
    sqlite.pragma('cache_size = -65536');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: namingReadOnly(withStatementCache(sqlite), path) }),
    });
    const checkpointer = backgroundCheckpoint
      ? startWalCheckpointer(sqlite, path, BUSY_TIMEOUT_MS)
      : undefined;
    const store: Store = {
      db,
      dialect: 'sqlite',
      location: path,
      close: async () => {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
    return {
      store,
      // BEGIN EXCLUSIVE holds SQLite's write lock (waiting up to the busy timeout for it): a second process
      // opening a fresh file waits here and then finds the migrations applied. Kysely runs SQLite migrations
      // without a transaction of its own, so the whole run commits or rolls back here.
      exclusive: async (fn) => {
        try {
          await sql`begin exclusive`.execute(db);
        } catch (error) {
          if (notADatabase(error))
            throw new UserInputError(path, 'cannot open database: not a SQLite database');
          throw error;
        }
        try {
          const out = await fn();
          await sql`commit`.execute(db);
          return out;
        } catch (error) {
          await sql`rollback`.execute(db).catch(() => {});
          throw error;
        } finally {
          sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        }
      },
    };
  } catch (error) {
    if (readOnly(error)) throw new UserInputError(path, 'the database is read-only', { cause: error });
    const what = notADatabase(error) ? 'not a SQLite database' : errorMessage(error);
    throw new UserInputError(path, `cannot open database: ${what}`);
  }
}

async function openPostgres(url: string): Promise<Opened> {
  const location = redactUrl(url);
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/i.test(schema)) {
    throw new UserInputError(location, `invalid schema name "${schema}"`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: 10,
    connectionTimeoutMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // an idle client that loses its server must not crash the process
  pool.on('error', () => {});
  // one session holds an advisory lock named after the schema while the schema is created and migrated:
  // CREATE SCHEMA IF NOT EXISTS and Kysely's migration-table setup both race when two processes start at once
  const lockKey = `bulkhead.migrate.${schema ?? ''}`;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (error) {
      client.release();
      throw error;
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new UserInputError(location, `cannot connect to PostgreSQL: ${errorMessage(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const store: Store = {
    db,
    dialect: 'postgres',
    location,
    ...(schema ? { schema } : {}),
    close: () => db.destroy(),
  };
  return {
    store,
    exclusive: async (fn) => {
      try {
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
        client.release();
      }
    },
  };
}

function migrator(store: Store): Migrator {
  // the migration tables live in the store's own schema; otherwise Kysely may find another schema's tables
  return new Migrator({
    db: store.db,
    provider: migrationProvider,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

/** Names in Kysely's migration table, or [] before the first migration. */
async function executedMigrationNames(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  const found = tables.some(
    (t) => t.name === DEFAULT_MIGRATION_TABLE && (!store.schema || t.schema === store.schema),
  );
  if (!found) return [];
  const rows = await (store.schema ? store.db.withSchema(store.schema) : store.db)
    .selectFrom(DEFAULT_MIGRATION_TABLE as never)
    .select('name' as never)
    .execute();
  return rows.map((r) => (r as { name: string }).name);
}

async function migrate(store: Store, target: string | undefined): Promise<void> {
  // a migration this version does not know was written by a newer one: say so before Kysely refuses
  const unknown = (await executedMigrationNames(store)).filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new UserInputError(
      store.location,
      `database was written by a newer Bulkhead (this one knows migrations up to ${LATEST_MIGRATION})`,
    );
  }
  const m = migrator(store);
  const { error } = target ? await m.migrateTo(target) : await m.migrateToLatest();
  if (!error) return;
  if (notADatabase(error))
    throw new UserInputError(store.location, 'cannot open database: not a SQLite database');
  throw error;
}

/** Names of the migrations applied to an open store, oldest first. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const list = await migrator(store).getMigrations();
  return list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
