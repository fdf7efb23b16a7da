import SqliteDatabase from 'better-sqlite3';
import { createCenter } from '../src/center/create-center.js';
import { openStore } from '../src/store/index.js';
import { seedCenter } from './center-seed.js';

/**
 * `center-seed-process.ts FILE HOME ISO-TIME`: seed bench/center's database in a process of its own, so the
 * process that then times the requests holds none of the seed's heap (its collections would be charged to the
 * requests it times).
 */
const [file, home, time] = process.argv.slice(2);
if (!file || !home || !time) throw new Error('usage: center-seed-process.ts FILE HOME ISO-TIME');
const now = new Date(time);
const raw = new SqliteDatabase(file);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
const store = await openStore({ url: `sqlite:${file}`, home });
try {
  await seedCenter(createCenter({ store, clock: () => new Date(now) }), store, raw);
} finally {
  await store.close();
  raw.close();
}
