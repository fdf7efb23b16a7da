import { createColors } from 'picocolors';
import { isSeverity, type Severity } from '../severity.js';
import {
  DEFAULT_WIDTH,
  displayWidth,
  fitWidths,
  shortenDigests,
  truncate,
  wrapIndented,
  wrapText,
} from './table-layout.js';
import { visible } from './visible.js';

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
  /** Lines printed under row i (why it failed, what to do), indented and wrapped. */
  details?: (readonly string[] | undefined)[];
}

/** A short table printed ahead of the detail (per control, CIS section or framework). */
export interface TableSummary {
  title?: string;
  columns: TableColumn[];
  rows: Record<string, string | number | null | undefined>[];
}

export interface TableSpec {
  title?: string;
  columns: TableColumn[];
  sections: TableSection[];
  /** Printed ahead of the sections; alone with `summaryOnly`. */
  summary?: TableSummary;
  /** Lines printed after the table, e.g. a summary. */
  footer?: string[];
}

export interface TableOptions {
  /** Colour severities and statuses (terminal output). */
  color: boolean;
  /** Characters the table must fit (default 120): cells wrap, digests are shortened. */
  width?: number;
  /** `--wide`: nothing shortened, wrapped or cut. */
  wide?: boolean;
  /** `--summary`: the title, the summary and the footer only. */
  summaryOnly?: boolean;
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

/** A cell on one line: line breaks of a message become spaces, every other acting character a visible escape. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return visible(String(value).replace(/[ \t]*\n\s*/g, ' '));
}

function paint(text: string, raw: string, color: boolean): string {
  if (!color) return text;
  if (isSeverity(raw)) return SEVERITY_COLORS[raw](text);
  const status = STATUS_COLORS[raw];
  return status ? status(text) : text;
}

type Row = TableSection['rows'][number];

/**
 * One block of aligned rows (a table, or the summary ahead of it) laid out to `width`: digests shortened first,
 * then the widest columns wrapped. Returns the header, the rule and a function that draws a row's lines.
 */
function layout(columns: readonly TableColumn[], rows: readonly Row[], options: TableOptions) {
  const width = options.wide ? Number.POSITIVE_INFINITY : (options.width ?? DEFAULT_WIDTH);
  const separators = 2 * Math.max(0, columns.length - 1);
  let texts = rows.map((row) =>
    columns.map((col) => (options.wide ? cell(row[col.key]) : truncate(cell(row[col.key]), col.maxWidth))),
  );
  // a loop, not Math.max(...rows): spreading 100k rows as arguments overflows the stack
  const naturalOf = () => {
    const out = columns.map((col) => displayWidth(col.header));
    for (const r of texts)
      for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, displayWidth(r[i] ?? ''));
    return out;
  };
  let natural = naturalOf();
  const total = () => natural.reduce((a, b) => a + b, 0) + separators;
  if (total() > width) {
    texts = texts.map((r) => r.map(shortenDigests));
    natural = naturalOf();
  }
  const widths = total() > width ? fitWidths(natural, width - separators) : natural;
  const draw = (values: readonly string[], raw?: readonly string[]): string[] => {
    const wrapped = values.map((v, i) => wrapText(v, widths[i]!));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++)
      lines.push(
        wrapped
          .map((w, i) => {
            const v = w[l] ?? '';
            const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(v)));
            const padded = columns[i]?.align === 'right' ? pad + v : v + pad;
            return paint(padded, raw?.[i] ?? '', options.color);
          })
          .join('  ')
          .trimEnd(),
      );
    return lines;
  };
  const header = draw(columns.map((c) => c.header)).map((h) => (options.color ? pc.dim(h) : h));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return { texts, header, rule, draw, width };
}

/**
 * Render rows as an aligned plain-text table that fits `options.width` (wrapping cells, digests shortened first;
 * `wide`: no limit); sections become headed groups, a row's details go under it, the summary comes first.
 */
export function renderTable(spec: TableSpec, options: TableOptions = { color: false }): string {
  const width = options.wide ? Number.POSITIVE_INFINITY : (options.width ?? DEFAULT_WIDTH);
  const fitLine = (raw: string): string[] => {
    const text = visible(raw);
    return Number.isFinite(width) ? wrapIndented(text, width, '', '  ') : [text];
  };
  const bold = (t: string) => (options.color ? pc.bold(t) : t);
  const out: string[] = [];
  if (spec.title) out.push(...fitLine(spec.title).map(bold), '');
  if (spec.summary) {
    const s = layout(spec.summary.columns, spec.summary.rows, options);
    if (spec.summary.title) out.push(...fitLine(spec.summary.title).map(bold));
    out.push(...s.header, s.rule);
    for (const row of s.texts) out.push(...s.draw(row, row));
    if (spec.summary.rows.length === 0) out.push('(nothing to show)');
    out.push('');
  }
  if (!options.summaryOnly) {
    const { columns } = spec;
    const all = spec.sections.flatMap((section) => section.rows);
    const t = layout(columns, all, options);
    let index = 0;
    spec.sections.forEach((section, s) => {
      if (section.title) out.push(...fitLine(section.title).map(bold));
      if (s === 0 || section.title) out.push(...t.header, t.rule);
      section.rows.forEach((_row, r) => {
        const row = t.texts[index++]!;
        out.push(...t.draw(row, row));
        for (const raw of section.details?.[r] ?? []) {
          const detail = visible(raw);
          out.push(
            ...(Number.isFinite(width) ? wrapIndented(detail, width, '    ', '      ') : [`    ${detail}`]),
          );
        }
      });
      if (section.title) out.push('');
    });
    if (spec.sections.every((s) => s.rows.length === 0)) out.push('(nothing to show)');
  }
  if (spec.footer?.length) {
    if (out[out.length - 1] !== '') out.push('');
    for (const line of spec.footer) out.push(...fitLine(line));
  }
  return `${out.join('\n')}\n`;
}
