import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { errorMessage, redactUrl, UserInputError } from '../core/errors.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

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
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** The SQLite file a URL names, or the default under home. */
export function sqlitePath(url: string | undefined, home: string): string {
  if (!url) return join(home, 'bulkhead.db');
  const path = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  return resolve(path);
}

/** Open the database named by `url` (or the default), create it if needed and bring it to the latest schema. */
export async function openStore(options: OpenOptions): Promise<Store> {
  const store = isPostgresUrl(options.url)
    ? await openPostgres(options.url)
    : openSqlite(sqlitePath(options.url, options.home));
  try {
    await migrate(store, options.migrateTo);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(path: string): Store {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', location: path, close: () => db.destroy() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const what = code === 'SQLITE_NOTADB' ? 'not a SQLite database' : errorMessage(error);
    throw new UserInputError(path, `cannot open database: ${what}`);
  }
}

async function openPostgres(url: string): Promise<Store> {
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
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw new UserInputError(location, `cannot connect to PostgreSQL: ${errorMessage(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location, ...(schema ? { schema } : {}), close: () => db.destroy() };
}

function migrator(store: Store): Migrator {
  // the migration tables live in the store's own schema; otherwise Kysely may find another schema's tables
  return new Migrator({
    db: store.db,
    provider: migrationProvider,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

async function migrate(store: Store, target: string | undefined): Promise<void> {
  const m = migrator(store);
  const { error } = target ? await m.migrateTo(target) : await m.migrateToLatest();
  if (!error) return;
  const message = errorMessage(error);
  if (/corrupted migrations|previously executed migration .* missing/i.test(message)) {
    throw new UserInputError(
      store.location,
      `database was written by a newer Bulkhead (this one knows migrations up to ${LATEST_MIGRATION})`,
    );
  }
  if (/SQLITE_NOTADB|file is not a database/i.test(message)) {
    throw new UserInputError(store.location, 'cannot open database: not a SQLite database');
  }
  throw error;
}

/** Names of the migrations applied to an open store, oldest first. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const list = await migrator(store).getMigrations();
  return list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}
