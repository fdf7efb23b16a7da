import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.js';

describe('background WAL checkpoints (SQLite)', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fill(s: Store) {
    await sql`create table filler (id integer primary key, text text not null)`.execute(s.db);
    await s.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 200; i++)
        await sql`insert into filler (text) values (${'x'.repeat(16_384)})`.execute(tx);
    });
  }

  it('copies committed pages into the database file off the writer, and close() waits for the last one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-ckpt-'));
    const file = join(dir, 'c.db');
    store = await openStore({ url: `sqlite:${file}`, home: dir, backgroundCheckpoint: true });
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    expect(rows[0]?.wal_autocheckpoint).toBe(0);
    const before = statSync(file).size;
    await fill(store);
    // 3 MiB went to the log; the writer never checkpoints, so only the worker can grow the database file
    const deadline = Date.now() + 10_000;
    while (statSync(file).size < before + 3 * 1024 * 1024 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before + 3 * 1024 * 1024);
    await store.close();
    store = undefined;
    const raw = new SqliteDatabase(file, { readonly: true });
    expect(raw.prepare('select count(*) as n from filler').get()).toEqual({ n: 200 });
    raw.close();
  });

  it('is off by default: short commands keep SQLite’s automatic checkpoint', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-ckpt-'));
    store = await openStore({ url: `sqlite:${join(dir, 'c.db')}`, home: dir });
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    expect(rows[0]?.wal_autocheckpoint).toBe(1000);
  });
});
