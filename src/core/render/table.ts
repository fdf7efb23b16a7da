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
  /** The same made as row i is drawn, instead of `details`: a large table's details are never all held at once. */
  detailsOf?: (row: number) => readonly string[] | undefined;
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

/** Characters the table fits: `width` (default 120), no limit with `wide`. */
const widthOf = (options: TableOptions) =>
  options.wide ? Number.POSITIVE_INFINITY : (options.width ?? DEFAULT_WIDTH);

/** A block's layout: the header lines, the rule, and a function that draws a row's lines. */
interface Layout {
  header: string[];
  rule: string;
  draw: (row: Row) => string[];
}

/** A row's cells as shown: on one line, cut to `maxWidth` (not with `wide`), digests shortened when `short`. */
function cellsOf(columns: readonly TableColumn[], row: Row, options: TableOptions, short: boolean): string[] {
  return columns.map((col) => {
    const text = options.wide ? cell(row[col.key]) : truncate(cell(row[col.key]), col.maxWidth);
    return short ? shortenDigests(text) : text;
  });
}

/**
 * The widest cell per column, headers included. A loop, not Math.max(...rows): spreading 100k rows as arguments
 * overflows the stack.
 */
function naturalWidths(
  columns: readonly TableColumn[],
  rows: Iterable<Row>,
  options: TableOptions,
  short: boolean,
): number[] {
  const out = columns.map((col) => displayWidth(col.header));
  for (const row of rows) {
    const texts = cellsOf(columns, row, options, short);
    for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, displayWidth(texts[i]!));
  }
  return out;
}

/**
 * One block of aligned rows (a table, or the summary ahead of it) laid out to `width`: digests shortened first,
 * then the widest columns wrapped. `rows` is read twice to measure, its cells are made again when drawn: a row's
 * text is never held beyond its lines.
 */
function layout(columns: readonly TableColumn[], rows: () => Iterable<Row>, options: TableOptions): Layout {
  const width = widthOf(options);
  const separators = 2 * Math.max(0, columns.length - 1);
  const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + separators;
  let natural = naturalWidths(columns, rows(), options, false);
  const short = total(natural) > width;
  if (short) natural = naturalWidths(columns, rows(), options, true);
  const widths = total(natural) > width ? fitWidths(natural, width - separators) : natural;
  // a header is never painted as a status or severity, a row's cells are (by what they say)
  const lines = (values: readonly string[], painted: boolean): string[] => {
    const wrapped = values.map((v, i) => wrapText(v, widths[i]!));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++)
      out.push(
        wrapped
          .map((w, i) => {
            const v = w[l] ?? '';
            const pad = ' '.repeat(Math.max(0, widths[i]! - displayWidth(v)));
            const padded = columns[i]?.align === 'right' ? pad + v : v + pad;
            return painted ? paint(padded, values[i] ?? '', options.color) : padded;
          })
          .join('  ')
          .trimEnd(),
      );
    return out;
  };
  const header = lines(
    columns.map((c) => c.header),
    false,
  ).map((h) => (options.color ? pc.dim(h) : h));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return { header, rule, draw: (row) => lines(cellsOf(columns, row, options, short), true) };
}

/**
 * Render rows as an aligned plain-text table that fits `options.width` (wrapping cells, digests shortened first;
 * `wide`: no limit); sections become headed groups, a row's details go under it, the summary comes first.
 */
export function renderTable(spec: TableSpec, options: TableOptions = { color: false }): string {
  return [...tableChunks(spec, options)].join('');
}

/**
 * The same text as `renderTable`, one line (with its newline) per piece: a table of 100,000 rows is never one
 * string, so writing it costs a row's lines at a time, not the whole text and its lines twice over.
 */
export function* tableChunks(spec: TableSpec, options: TableOptions = { color: false }): Generator<string> {
  let last: string | undefined;
  for (const line of tableLines(spec, options)) {
    last = line;
    yield `${line}\n`;
  }
  if (spec.footer?.length) {
    // a blank line before the footer, also when nothing came before it
    if (last !== '') yield '\n';
    for (const line of spec.footer) for (const piece of fitLine(line, options)) yield `${piece}\n`;
  }
  if (last === undefined && !spec.footer?.length) yield '\n';
}

/** A title or footer line, wrapped to the width with a hanging indent. */
function fitLine(raw: string, options: TableOptions): string[] {
  const text = visible(raw);
  const width = widthOf(options);
  return Number.isFinite(width) ? wrapIndented(text, width, '', '  ') : [text];
}

/** The lines of the title, the summary and the sections (the footer is tableChunks'). */
function* tableLines(spec: TableSpec, options: TableOptions): Generator<string> {
  const bold = (t: string) => (options.color ? pc.bold(t) : t);
  if (spec.title) {
    for (const line of fitLine(spec.title, options)) yield bold(line);
    yield '';
  }
  if (spec.summary) yield* summaryLines(spec.summary, options, bold);
  if (!options.summaryOnly) yield* sectionLines(spec, options, bold);
}

function* summaryLines(
  summary: TableSummary,
  options: TableOptions,
  bold: (t: string) => string,
): Generator<string> {
  const s = layout(summary.columns, () => summary.rows, options);
  if (summary.title) for (const line of fitLine(summary.title, options)) yield bold(line);
  yield* s.header;
  yield s.rule;
  for (const row of summary.rows) yield* s.draw(row);
  if (summary.rows.length === 0) yield '(nothing to show)';
  yield '';
}

function* allRows(sections: readonly TableSection[]): Generator<Row> {
  for (const section of sections) yield* section.rows;
}

function* sectionLines(
  spec: TableSpec,
  options: TableOptions,
  bold: (t: string) => string,
): Generator<string> {
  const width = widthOf(options);
  const t = layout(spec.columns, () => allRows(spec.sections), options);
  for (let s = 0; s < spec.sections.length; s++) {
    const section = spec.sections[s]!;
    if (section.title) for (const line of fitLine(section.title, options)) yield bold(line);
    if (s === 0 || section.title) {
      yield* t.header;
      yield t.rule;
    }
    for (let r = 0; r < section.rows.length; r++) {
      yield* t.draw(section.rows[r]!);
      for (const raw of section.detailsOf?.(r) ?? section.details?.[r] ?? []) {
        const detail = visible(raw);
        if (Number.isFinite(width)) yield* wrapIndented(detail, width, '    ', '      ');
        else yield `    ${detail}`;
      }
    }
    if (section.title) yield '';
  }
  if (spec.sections.every((section) => section.rows.length === 0)) yield '(nothing to show)';
}
