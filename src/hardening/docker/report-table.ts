import { compareNatural, compareText } from '../../core/collate.js';
import { plural } from '../../core/render/plural.js';
import type { TableSpec } from '../../core/render/table.js';
import { compareSeverity } from '../../core/severity.js';
import { percentText } from '../kubernetes/report-table.js';
import type { BenchResult } from './benchmark.js';
import { SECTION_TITLES } from './controls/index.js';
import type { BenchResource } from './types.js';

const failing = (r: BenchResult) => r.status === 'fail' || r.status === 'warn';

function resourceText(resources: readonly BenchResource[]): string {
  if (resources.length === 0) return '';
  const names = resources.map((r) => r.name || r.id);
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} +${names.length - 8}` : names.join(', ');
}

/** Per CIS section: how many controls pass, fail or warn, and the section's compliance over the assessed ones. */
export function sectionSummary(results: readonly BenchResult[]): NonNullable<TableSpec['summary']> {
  const sections = [...new Set(results.map((r) => r.section))];
  return {
    title: 'Sections',
    columns: [
      { key: 'section', header: 'SECTION' },
      { key: 'pass', header: 'PASS', align: 'right' },
      { key: 'fail', header: 'FAIL', align: 'right' },
      { key: 'warn', header: 'WARN', align: 'right' },
      { key: 'other', header: 'OTHER', align: 'right' },
      { key: 'compliance', header: 'COMPLIANCE', align: 'right' },
    ],
    rows: sections.map((s) => {
      const list = results.filter((r) => r.section === s);
      const n = (status: string) => list.filter((r) => r.status === status).length;
      const pass = n('pass');
      const fail = n('fail');
      return {
        section: SECTION_TITLES[s] ?? s,
        pass,
        fail,
        warn: n('warn'),
        other: list.length - pass - fail - n('warn'),
        compliance: percentText(pass, fail),
      };
    }),
  };
}

/** Most severe first, then by the resources named (host-wide results, with none, first), then benchmark order. */
function bySeverityThenResource(a: BenchResult, b: BenchResult): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    compareText(resourceText(a.resources), resourceText(b.resources)) ||
    compareNatural(a.id, b.id)
  );
}

/**
 * The benchmark table: per-section summary, then the controls of each section (most severe first, then by
 * resource), a failing one
 * with why (the message and the failing resources) and what to do (the remediation) under it.
 */
export function benchmarkTable(title: string, results: readonly BenchResult[], footer: string[]): TableSpec {
  const sections = [...new Set(results.map((r) => r.section))];
  const fails = results.filter(failing).length;
  return {
    title,
    summary: sectionSummary(results),
    columns: [
      { key: 'id', header: 'ID' },
      { key: 'status', header: 'STATUS' },
      { key: 'severity', header: 'SEVERITY' },
      { key: 'title', header: 'TITLE' },
    ],
    sections: sections.map((s) => {
      const rows = results.filter((r) => r.section === s).sort(bySeverityThenResource);
      return {
        title: SECTION_TITLES[s] ?? s,
        rows: rows.map((r) => ({
          id: r.legacyId && r.legacyId !== r.id ? `${r.id} (${r.legacyId})` : r.id,
          status: r.status,
          severity: r.severity,
          title: r.title,
        })),
        details: rows.map((r) =>
          failing(r)
            ? [
                `why: ${r.message}${r.resources.length ? ` — ${resourceText(r.resources)}` : ''}`,
                `fix: ${r.remediation}`,
              ]
            : undefined,
        ),
      };
    }),
    footer: [`${plural(fails, 'control')} failing or to review`, ...footer],
  };
}
