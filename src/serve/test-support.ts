import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../api/app.js';
import { createCenter } from '../center/create-center.js';
import type { Center, Role } from '../center/index.js';
import { SYSTEM } from '../center/index.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';

export { DIALECTS } from '../store/test-support/dialects.js';

export interface TestApp {
  app: FastifyInstance;
  center: Center;
  store: Store;
  database: TestDatabase;
  /** Everything the app logged, one JSON line each. */
  logs: string[];
  /** The clock the center reads; tests move `now`. */
  clock: { now: Date };
  /** A new API token of that role (the string). */
  token(role: Role, extra?: { scope?: string; expires?: string }): Promise<string>;
  /** `Authorization` header of a new token of that role. */
  auth(role: Role): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** The real app over a real, fresh store of the dialect, logging at info level into `logs`. */
export async function startTestApp(
  dialect: 'sqlite' | 'postgres',
  options: AppOptions = {},
): Promise<TestApp> {
  const database = await freshDatabase(dialect);
  const store = await database.open();
  const clock = { now: new Date('2026-12-01T10:00:00.000Z') };
  const center = createCenter({ store, clock: () => clock.now });
  const logs: string[] = [];
  const app = await buildApp(center, {
    logger: { level: 'info', stream: { write: (line: string) => void logs.push(line) } },
    ...options,
  });
  await app.ready();
  const token = async (role: Role, extra: { scope?: string; expires?: string } = {}) =>
    (await center.access.tokens.create(SYSTEM, { name: `test ${role}`, role, ...extra })).token;
  return {
    app,
    center,
    store,
    database,
    logs,
    clock,
    token,
    auth: async (role) => ({ authorization: `Bearer ${await token(role)}` }),
    close: async () => {
      await app.close();
      await store.close();
      await database.dispose();
    },
  };
}
