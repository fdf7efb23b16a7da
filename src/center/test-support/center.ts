import type { Store } from '../../store/open.js';
import { freshDatabase, type TestDatabase } from '../../store/test-support/dialects.js';
import type { CenterDeps } from '../deps.js';
import type { Principal } from '../principal.js';

/** A center's deps on a fresh database of the dialect, with a clock the test moves. */
export interface TestCenter {
  deps: CenterDeps;
  store: Store;
  setNow(iso: string): void;
  dispose(): Promise<void>;
}

export async function openTestCenter(
  dialect: 'sqlite' | 'postgres',
  start = '2026-03-01T10:00:00.000Z',
): Promise<TestCenter> {
  const database: TestDatabase = await freshDatabase(dialect);
  const store = await database.open();
  let now = new Date(start);
  return {
    deps: { store, clock: () => new Date(now) },
    store,
    setNow: (iso) => {
      now = new Date(iso);
    },
    dispose: async () => {
      await store.close();
      await database.dispose();
    },
  };
}

export const ADMIN: Principal = { kind: 'user', id: 'u-admin', name: 'admin', role: 'admin' };
export const OPERATOR: Principal = { kind: 'user', id: 'u-ops', name: 'ops', role: 'operator' };

export function agent(scope?: string): Principal {
  return { kind: 'token', id: 't-agent', name: 'agent', role: 'agent', ...(scope ? { scope } : {}) };
}

const CENTER_TABLES = [
  'center_resources',
  'center_reports',
  'center_findings',
  'center_control_results',
  'center_alerts',
  'center_packages',
  'center_exceptions',
  'center_score_snapshots',
  'audit_log',
] as const;

/** Rows per center table: "nothing changed" is these counts and these rows being equal. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of CENTER_TABLES) {
    const row = await store.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

/**
 * Every row of every center table and of the audit log, each table's rows in a fixed order: a stricter "nothing
 * stored changed" than the counts (a row updated in place shows too).
 */
export async function tableRows(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of CENTER_TABLES) {
    const rows = await store.db.selectFrom(t).selectAll().execute();
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

export async function resource(store: Store, key: string) {
  return store.db.selectFrom('center_resources').selectAll().where('key', '=', key).executeTakeFirst();
}
