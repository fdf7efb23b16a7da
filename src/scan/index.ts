/** Image vulnerability scan: packages × advisories → findings, severity, status, remediation, exceptions. */
export { coverageWarnings } from './coverage.js';
export { osSupport } from './eol.js';
export { type IgnoreEntry, loadIgnoreFile, parseIgnoreFile } from './ignore-file.js';
export { type AdvisoryCache, matchPackages } from './match.js';
export { osNamespace, packageQuery } from './namespace.js';
export { rematch, saveImageScan, scanFindings, storedImage } from './persist.js';
export { fixUnits } from './remediation.js';
export { scanCycloneDx, scanDocument, scanReport, scanSarif, scanTable } from './report.js';
export { packageFromPurl, parseSbom, readSbom } from './sbom-input.js';
export { applyPolicy, type ScanOptions, scanPackages, sortFindings } from './scan.js';
export {
  type ImageScanOutcome,
  type ScanImageHooks,
  type ScanImageOptions,
  scanImage,
} from './scan-image.js';
export type * from './types.js';
export { loadVex, parseVex, type VexStatement } from './vex.js';
