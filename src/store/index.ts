export { listControlResults, saveControlResults, saveControlScan } from './control-results.js';
export {
  appliedMigrations,
  type Dialect,
  isPostgresUrl,
  type OpenOptions,
  openStore,
  type Store,
  sqlitePath,
} from './open.js';
export { listResources, upsertResource } from './resources.js';
export { finishScan, getScan, startScan } from './scans.js';
export type { Database } from './schema.js';
