import { compareNatural, compareText } from '../../core/collate.js';
import { plural } from '../../core/render/plural.js';
import type { TableSpec } from '../../core/render/table.js';
import { resourceLabel } from '../../core/resource.js';
import type { CountedPasses } from '../../core/results.js';
import { compareSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import { BEST_PRACTICE_STANDARDS } from './controls/types.js';
import type { EvaluatedResult } from './evaluate.js';

/** What the table says besides the results: the run's title line and its footer lines. */
export interface PostureTableInput {
  title: string;
  /** Every result of the run (passes included): the summary counts them. */
  all: readonly EvaluatedResult[];
  /** Passes counted rather than kept in `all` (EvaluateOptions.countPasses). */
  passes?: CountedPasses;
  /** The results to list under the summary. */
  shown: readonly EvaluatedResult[];
  footer: string[];
}

/** `12.5 %`, or `n/a` when nothing was assessed: a percentage over zero results says nothing. */
export function percentText(pass: number, fail: number): string {
  if (pass + fail === 0) return 'n/a';
  return `${Math.floor((pass / (pass + fail)) * 1000) / 10} %`;
}

/** The control's title, labelled when it is about reliability or hygiene rather than security. */
function titleOf(r: Pick<EvaluatedResult, 'title' | 'standards'>): string {
  const practice =
    r.standards.length > 0 &&
    r.standards.every((s) => (BEST_PRACTICE_STANDARDS as readonly string[]).includes(s));
  return practice ? `${r.title} (best practice)` : r.title;
}

const open = (r: EvaluatedResult) => r.status === 'fail' && !r.suppressedBy;

/**
 * Per control that failed somewhere, Kubescape-style: control, severity, failed resources, compliance (the share of
 * assessed resources that pass it), most severe first, then most failures. `passes`: those counted rather than kept.
 */
export function controlSummary(
  all: readonly EvaluatedResult[],
  passes?: CountedPasses,
): TableSpec['summary'] {
  const byControl = new Map<string, { title: string; severity: Severity; pass: number; fail: number }>();
  for (const [control, p] of passes?.controls ?? [])
    byControl.set(control, { title: titleOf(p), severity: p.severity, pass: p.n, fail: 0 });
  for (const r of all) {
    const c = byControl.get(r.control) ?? { title: titleOf(r), severity: r.severity, pass: 0, fail: 0 };
    if (r.status === 'pass') c.pass++;
    else if (open(r)) c.fail++;
    byControl.set(r.control, c);
  }
  const failing = [...byControl].filter(([, c]) => c.fail > 0);
  failing.sort(
    ([a, x], [b, y]) => compareSeverity(x.severity, y.severity) || y.fail - x.fail || compareNatural(a, b),
  );
  const clean = byControl.size - failing.length;
  return {
    title: `Controls: ${plural(failing.length, 'control')} failing, ${plural(clean, 'control')} passing everywhere`,
    columns: [
      { key: 'control', header: 'CONTROL' },
      { key: 'severity', header: 'SEVERITY' },
      { key: 'title', header: 'TITLE' },
      { key: 'failed', header: 'FAILED RESOURCES', align: 'right' },
      { key: 'compliance', header: 'COMPLIANCE', align: 'right' },
    ],
    rows: failing.map(([control, c]) => ({
      control,
      severity: c.severity,
      title: c.title,
      failed: c.fail,
      compliance: percentText(c.pass, c.fail),
    })),
  };
}

/** What a row says under it: why it failed and what to do, or why it is suppressed. */
function detailLines(r: EvaluatedResult): string[] | undefined {
  if (open(r)) return [`why: ${r.message}${r.field ? ` (${r.field})` : ''}`, `fix: ${r.remediation}`];
  return r.suppressedBy ? [`suppressed: ${r.suppressedBy.reason}`] : undefined;
}

/**
 * The posture table: the per-control summary, then one section per resource (most severe first, then by name) whose
 * rows are its results by severity; a failing row carries why (the message) and what to do (the remediation), made
 * as the row is drawn.
 */
export function postureTable(input: PostureTableInput): TableSpec {
  const sections = new Map<string, EvaluatedResult[]>();
  for (const r of input.shown) {
    const key = `${resourceLabel(r.resource)}${r.source.file ? `  (${r.source.file}${r.source.line ? `:${r.source.line}` : ''})` : ''}`;
    const list = sections.get(key) ?? [];
    list.push(r);
    sections.set(key, list);
  }
  const worst = (rows: readonly EvaluatedResult[]) =>
    rows
      .filter(open)
      .reduce<number>((w, r) => Math.min(w, SEVERITIES.indexOf(r.severity)), SEVERITIES.length);
  const ordered = [...sections].map(([title, rows]) => ({
    title,
    worst: worst(rows),
    rows: [...rows].sort(
      (a, b) =>
        Number(open(b)) - Number(open(a)) ||
        compareSeverity(a.severity, b.severity) ||
        compareNatural(a.control, b.control),
    ),
  }));
  ordered.sort((a, b) => a.worst - b.worst || compareText(a.title, b.title));
  return {
    title: input.title,
    summary: controlSummary(input.all, input.passes),
    columns: [
      { key: 'control', header: 'CONTROL' },
      { key: 'severity', header: 'SEVERITY' },
      { key: 'status', header: 'STATUS' },
      { key: 'title', header: 'TITLE' },
    ],
    sections: ordered.map(({ title, rows }) => ({
      title,
      rows: rows.map((r) => ({
        control: r.control,
        severity: r.severity,
        status: r.suppressedBy ? 'suppressed' : r.status,
        title: titleOf(r),
      })),
      detailsOf: (i: number) => detailLines(rows[i]!),
    })),
    footer: input.footer,
  };
}
