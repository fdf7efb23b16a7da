import { sql } from 'kysely';
import type { CenterDeps } from './deps.js';

/** Whether the center can serve: its store answers a query. */
export function createHealthService(deps: CenterDeps) {
  return {
    async ready(): Promise<boolean> {
      try {
        await sql`select 1`.execute(deps.store.db);
        return true;
      } catch {
        return false;
      }
    },
  };
}
