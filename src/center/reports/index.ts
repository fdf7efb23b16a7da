export { ingestReport } from './ingest.js';
export type { ReportKind } from './kind.js';
export { REPORT_KINDS } from './kinds/index.js';
export { createReportService, type ReportServiceOptions } from './service.js';
