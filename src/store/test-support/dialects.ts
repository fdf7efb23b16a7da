import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type OpenOptions, openStore, type Store } from '../open.js';

/** The PostgreSQL server the tests use; scripts/test-env.sh creates it. */
export const TEST_PG_URL =
  process.env.BULKHEAD_TEST_PG_URL ?? 'postgres://bulkhead:bulkhead@127.0.0.1:5432/bulkhead_test';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  /** A URL for `openStore` that names a fresh, empty database (a new file or a new PostgreSQL schema). */
  url: string;
  home: string;
  open(extra?: Partial<OpenOptions>): Promise<Store>;
  /** Remove everything it created. */
  dispose(): Promise<void>;
}

let counter = 0;

/** A fresh database of the given dialect. PostgreSQL must be running (scripts/test-env.sh); the test fails otherwise. */
export async function freshDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-store-'));
  if (dialect === 'sqlite') {
    const url = `sqlite:${join(home, 'test.db')}`;
    return {
      dialect,
      url,
      home,
      open: (extra) => openStore({ url, home, ...extra }),
      dispose: async () => rmSync(home, { recursive: true, force: true }),
    };
  }
  counter += 1;
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const base = new URL(TEST_PG_URL);
  base.searchParams.set('schema', schema);
  const url = base.toString();
  return {
    dialect,
    url,
    home,
    open: (extra) => openStore({ url, home, ...extra }),
    dispose: async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export const DIALECTS = ['sqlite', 'postgres'] as const;
