import { UserInputError } from '../errors.js';
import { jsonChunks } from './json.js';
import { type JunitSuite, renderJunit } from './junit.js';
import { type SarifInput, toSarif } from './sarif.js';
import { type TableOptions, type TableSpec, tableChunks } from './table.js';

/**
 * What an engine hands the CLI: its JSON document plus the views it supports.
 * Each engine builds one; `renderReport` picks the view by `--format`.
 */
export interface Report {
  /** The enveloped JSON document (`--format json`). */
  document: object;
  table: () => TableSpec;
  sarif?: () => SarifInput;
  junit?: () => { name: string; suites: JunitSuite[] };
  /** Extra formats an engine owns, e.g. `cyclonedx`, `spdx`. Each returns the whole text. */
  extra?: Record<string, () => string>;
}

export const COMMON_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;

export function supportedFormats(report: Report): string[] {
  const formats = ['table', 'json'];
  if (report.sarif) formats.push('sarif');
  if (report.junit) formats.push('junit');
  formats.push(...Object.keys(report.extra ?? {}));
  return formats;
}

export function renderReport(report: Report, format: string, options: TableOptions): string {
  return [...renderReportChunks(report, format, options)].join('');
}

/**
 * The rendered report in pieces, to be written one after another: JSON documents (json, sarif) and tables are never
 * held whole as text, so a report of a hundred thousand rows costs its rows, not its rows and their text twice over.
 */
export function renderReportChunks(report: Report, format: string, options: TableOptions): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(report.document);
    case 'table':
      return tableChunks(report.table(), options);
    case 'sarif':
      if (report.sarif) return jsonChunks(toSarif(report.sarif()));
      break;
    case 'junit':
      if (report.junit) {
        const { name, suites } = report.junit();
        return [renderJunit(name, suites)];
      }
      break;
    default: {
      const extra = report.extra?.[format];
      if (extra) return [extra()];
    }
  }
  throw new UserInputError(
    '--format',
    `"${format}" is not available here (use ${supportedFormats(report).join(', ')})`,
  );
}
