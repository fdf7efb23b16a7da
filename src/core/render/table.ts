import { createColors } from 'picocolors';
import { isSeverity, type Severity } from '../severity.js';

export interface TableColumn {
  /** Key of the row value. */
  key: string;
  header: string;
  /** Cut longer values with an ellipsis. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

export interface TableSection {
  /** Heading printed above the rows, e.g. a package or CIS section. */
  title?: string;
  rows: Record<string, string | number | null | undefined>[];
}

export interface TableSpec {
  title?: string;
  columns: TableColumn[];
  sections: TableSection[];
  /** Lines printed after the table, e.g. a summary. */
  footer?: string[];
}

export interface TableOptions {
  /** Colour severities and statuses (terminal output). */
  color: boolean;
}

const pc = createColors(true);

const SEVERITY_COLORS: Record<Severity, (s: string) => string> = {
  CRITICAL: (s) => pc.bold(pc.red(s)),
  HIGH: pc.red,
  MEDIUM: pc.yellow,
  LOW: pc.cyan,
  UNKNOWN: pc.dim,
};

const STATUS_COLORS: Record<string, (s: string) => string> = {
  fail: pc.red,
  pass: pc.green,
  warn: pc.yellow,
  error: (s) => pc.bold(pc.magenta(s)),
};

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\s*\n\s*/g, ' ');
}

function truncate(text: string, width: number | undefined): string {
  if (width === undefined || [...text].length <= width) return text;
  return `${[...text].slice(0, Math.max(1, width - 1)).join('')}…`;
}

function paint(text: string, raw: string, color: boolean): string {
  if (!color) return text;
  if (isSeverity(raw)) return SEVERITY_COLORS[raw](text);
  const status = STATUS_COLORS[raw];
  return status ? status(text) : text;
}

function displayWidth(text: string): number {
  return [...text].length;
}

/** Render rows as an aligned plain-text table; sections become headed groups. */
export function renderTable(spec: TableSpec, options: TableOptions = { color: false }): string {
  const { columns } = spec;
  const texts = spec.sections.map((section) =>
    section.rows.map((row) => columns.map((col) => truncate(cell(row[col.key]), col.maxWidth))),
  );
  // a loop, not Math.max(...rows): spreading 100k rows as arguments overflows the stack
  const widths = columns.map((col) => displayWidth(col.header));
  for (const rows of texts)
    for (const r of rows)
      for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, displayWidth(r[i] ?? ''));
  const line = (values: string[], raw?: string[]): string =>
    values
      .map((v, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(v)));
        const padded = columns[i]?.align === 'right' ? pad + v : v + pad;
        return paint(padded, raw?.[i] ?? '', options.color);
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (spec.title) out.push(options.color ? pc.bold(spec.title) : spec.title, '');
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  spec.sections.forEach((section, s) => {
    if (section.title) out.push(options.color ? pc.bold(section.title) : section.title);
    if (s === 0 || section.title) out.push(options.color ? pc.dim(header) : header, rule);
    for (const row of texts[s] ?? []) out.push(line(row, row));
    if (section.title) out.push('');
  });
  if (spec.sections.every((s) => s.rows.length === 0)) out.push('(nothing to show)');
  if (spec.footer?.length) {
    if (out[out.length - 1] !== '') out.push('');
    for (const l of spec.footer) out.push(l);
  }
  return `${out.join('\n')}\n`;
}
