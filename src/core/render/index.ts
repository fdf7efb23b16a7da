export { renderJson } from './json.js';
export { escapeXml, type JunitCase, type JunitSuite, renderJunit } from './junit.js';
export { plural } from './plural.js';
export {
  COMMON_FORMATS,
  type Report,
  renderReport,
  renderReportChunks,
  supportedFormats,
} from './report.js';
export { type SarifInput, type SarifLocation, type SarifResult, type SarifRule, toSarif } from './sarif.js';
export {
  renderTable,
  type TableColumn,
  type TableOptions,
  type TableSection,
  type TableSpec,
  type TableSummary,
  tableChunks,
} from './table.js';
export { outputWidth, shortenDigests, wrapText } from './table-layout.js';
