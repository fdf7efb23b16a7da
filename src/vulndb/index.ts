/** The advisory database: feeds → normalized records → the store; version schemes; the query API. */
export { checkBundle, createBundle, verifyBundleFile } from './bundle.js';
export { FEEDS, sniffFeed } from './feeds/index.js';
export { type ImportSummary, importSources } from './importer.js';
export * from './model.js';
export { debianNamespace, ecosystemNamespace, normalizePackage } from './namespaces.js';
export {
  type AdvisoryMatch,
  type AdvisoryQuery,
  advisoriesByPackage,
  affects,
  findAdvisories,
} from './query.js';
export { advisoryStatus, recordsByAlias, type StoredAdvisory, writeRecords } from './store.js';
export { schemeFor, VERSION_SCHEMES, type VersionScheme } from './versions/index.js';
