export {
  insertControlResults,
  listControlResults,
  passCounts,
  type StoredControlResult,
} from './control-results.js';
export { saveControlResults, saveControlScan } from './control-scan.js';
export { insertFindings, listScanFindings } from './findings.js';
export { chunked, insertChunks, rowsPerStatement } from './insert-chunks.js';
export {
  appliedMigrations,
  type Dialect,
  isPostgresUrl,
  type OpenOptions,
  openStore,
  type Store,
  sqlitePath,
} from './open.js';
export { listResources, upsertResource, upsertResources } from './resources.js';
export { finishScan, getScan, listScans, type ScanQuery, type ScanRecord, startScan } from './scans.js';
export type { Database } from './schema.js';
