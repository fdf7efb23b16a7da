import { appliedMigrations, openStore } from '../open.js';

/*
 * A separate process that opens the store named by argv[2] (home argv[3]) at the time argv[4] (epoch ms) and
 * prints the migrations it finds applied: concurrency.test.ts starts two on a fresh database. The shared start
 * time lines both openings up, which process start-up jitter would otherwise keep apart.
 */
const [url, home, startAt] = process.argv.slice(2);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt ?? 0) - Date.now())));
const store = await openStore({ url, home: home ?? '.' });
process.stdout.write(`${JSON.stringify(await appliedMigrations(store))}\n`);
await store.close();
