import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('reuses a statement by SQL text and evicts the least recently used past capacity', () => {
    const db = withStatementCache(new SqliteDatabase(':memory:'), 2);
    const a = db.prepare('select 1');
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 2');
    db.prepare('select 1'); // refreshes "select 1"
    db.prepare('select 3'); // evicts "select 2"
    expect(db.prepare('select 1')).toBe(a);
    const two = db.prepare('select 2');
    expect(db.prepare('select 2')).toBe(two);
    db.close();
  });

  it('gives a fresh statement while the cached one is still iterating (streamed selects)', () => {
    const db = withStatementCache(new SqliteDatabase(':memory:'));
    db.prepare('create table t (n integer)').run([]);
    db.prepare('insert into t values (1), (2), (3)').run([]);
    const query = 'select n from t order by n';
    const outer: number[] = [];
    let inner: unknown[] = [];
    for (const row of db.prepare(query).iterate([]) as Iterable<{ n: number }>) {
      outer.push(row.n);
      if (row.n === 1) inner = db.prepare(query).all([]);
    }
    expect(outer).toEqual([1, 2, 3]);
    expect(inner).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    db.close();
  });
});
