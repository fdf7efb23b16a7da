import type { TableOptions, TableSpec } from '../table.js';

/**
 * Tables and options that exercise every path of the renderer: titles, summaries, sections with and without
 * titles, details, footers, wrapping, shortened digests, cut cells, right alignment, colour, `wide` and
 * `summaryOnly`, and the empty cases. `table-expected.json` holds what each rendered to, one entry per case.
 */
const digest = (i: number) => `sha256:${i.toString(16).padStart(4, '0').repeat(16)}`;

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    control: `C-${i + 1}`,
    severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'][i % 5],
    status: ['fail', 'pass', 'warn', 'error', 'suppressed'][i % 5],
    title: i % 4 === 0 ? `a long title that will wrap when the table is narrow, number ${i}` : `title ${i}`,
    image: i % 3 === 0 ? `registry.example/app@${digest(i)}` : `app:${i}`,
    n: i * 37,
    note: i % 6 === 0 ? null : i % 6 === 1 ? undefined : `line one\n   line two\twith a tab \u001b[31m`,
  }));

const columns: TableSpec['columns'] = [
  { key: 'control', header: 'CONTROL' },
  { key: 'severity', header: 'SEVERITY' },
  { key: 'status', header: 'STATUS' },
  { key: 'title', header: 'TITLE' },
  { key: 'image', header: 'IMAGE' },
  { key: 'n', header: 'N', align: 'right' },
  { key: 'note', header: 'NOTE', maxWidth: 12 },
];

const full: TableSpec = {
  title: `Scan of something with a rather long title that needs wrapping at forty columns ${digest(1)}`,
  summary: {
    title: 'Controls: 3 failing',
    columns: [
      { key: 'control', header: 'CONTROL' },
      { key: 'severity', header: 'SEVERITY' },
      { key: 'failed', header: 'FAILED', align: 'right' },
    ],
    rows: [
      { control: 'C-1', severity: 'CRITICAL', failed: 12 },
      { control: 'C-2', severity: 'LOW', failed: 3 },
      { control: 'C-3', severity: 'pass', failed: 0 },
    ],
  },
  columns,
  sections: [
    {
      title: 'default/Pod/web  (manifests/web.yaml:3)',
      rows: rows(7),
      details: rows(7).map((_, i) =>
        i % 2
          ? [`why: container "c${i}" runs privileged (spec.containers[${i}].securityContext.privileged)`, 'fix: no']
          : undefined,
      ),
    },
    { rows: rows(2) },
    { title: 'kube-system/Pod/dns', rows: rows(3), details: [['suppressed: accepted\u202e risk'], undefined] },
    { title: 'empty section', rows: [] },
  ],
  footer: ['3 resources, 1 healthy', `a footer line long enough to wrap when the width is forty columns or so`],
};

const plain: TableSpec = {
  columns: [
    { key: 'id', header: 'ID' },
    { key: 'severity', header: 'SEVERITY' },
  ],
  sections: [{ rows: rows(4).map((r) => ({ id: r.control, severity: r.severity })) }],
};

const specs: Record<string, TableSpec> = {
  full,
  plain,
  'no rows': { columns, sections: [{ rows: [] }], footer: ['nothing'] },
  'no sections': { title: 'T', columns, sections: [] },
  'summary without rows': {
    summary: { title: 'S', columns: [{ key: 'a', header: 'A' }], rows: [] },
    columns,
    sections: [{ title: 'x', rows: rows(1) }],
  },
  'footer alone': { columns, sections: [], footer: ['only this'] },
  'nothing at all': { columns, sections: [] },
};

const optionSets: Record<string, TableOptions> = {
  default: { color: false },
  narrow: { color: false, width: 40 },
  tiny: { color: false, width: 12 },
  broad: { color: false, width: 300 },
  color: { color: true, width: 80 },
  wide: { color: false, wide: true },
  'summary only': { color: false, summaryOnly: true },
  'summary only, colour': { color: true, width: 50, summaryOnly: true },
};

export interface TableCase {
  name: string;
  spec: TableSpec;
  options: TableOptions;
}

/** Every spec under every option set. */
export const TABLE_CASES: TableCase[] = Object.entries(specs).flatMap(([s, spec]) =>
  Object.entries(optionSets).map(([o, options]) => ({ name: `${s} / ${o}`, spec, options })),
);
