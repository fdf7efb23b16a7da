import { envelope } from '../core/envelope.js';
import { UserInputError } from '../core/errors.js';
import { plural } from '../core/render/plural.js';
import type { Report } from '../core/render/report.js';
import type { TableColumn } from '../core/render/table.js';
import { SEVERITIES } from '../core/severity.js';
import type { ScanRecord } from '../store/scans.js';
import { compareItems, diffItems } from './diff.js';
import { kindFamily, passedCount, type ScanItem, type StoredScan, scanItems } from './stored-scan.js';

/** `2025-03-01T10:00:00.000Z` → `2025-03-01 10:00:00` (UTC, as stored). */
const time = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '');

/** A scan's summary in a few words: findings by severity, or failing controls. */
export function summaryText(scan: ScanRecord): string {
  if (!scan.finishedAt) return 'not finished';
  const s = scan.summary as { counts?: Record<string, number>; results?: number; fail?: number };
  if (s.counts) {
    const parts = SEVERITIES.filter((v) => (s.counts?.[v] ?? 0) > 0).map((v) => `${s.counts![v]} ${v}`);
    return parts.length ? parts.join(', ') : 'no findings';
  }
  if (typeof s.results === 'number') return `${s.fail ?? 0} failing of ${plural(s.results, 'result')}`;
  return '';
}

/** `bulkhead scans list`. */
export function scanListReport(scans: readonly ScanRecord[]): Report {
  const document = envelope('ScanList', {
    scans: scans.map((s) => ({ ...s, summaryText: summaryText(s) })),
  });
  return {
    document,
    table: () => ({
      title: `${plural(scans.length, 'stored scan')}, newest first`,
      columns: [
        { key: 'id', header: 'ID', align: 'right' },
        { key: 'kind', header: 'KIND' },
        { key: 'target', header: 'TARGET' },
        { key: 'started', header: 'STARTED' },
        { key: 'finished', header: 'FINISHED' },
        { key: 'summary', header: 'SUMMARY' },
      ],
      sections: [
        {
          rows: scans.map((s) => ({
            id: s.id,
            kind: s.kind,
            target: s.target,
            started: time(s.startedAt),
            finished: time(s.finishedAt),
            summary: summaryText(s),
          })),
        },
      ],
    }),
  };
}

const where = (i: ScanItem) => [i.resource, i.subject].filter(Boolean).join(' ');

const ITEM_COLUMNS: TableColumn[] = [
  { key: 'severity', header: 'SEVERITY' },
  { key: 'status', header: 'STATUS' },
  { key: 'id', header: 'ID' },
  { key: 'where', header: 'WHERE' },
  { key: 'message', header: 'MESSAGE' },
];

const itemRow = (i: ScanItem, status = i.status) => ({
  severity: i.severity,
  status,
  id: i.id,
  where: where(i),
  message: i.message,
});

const scanTitle = (scan: ScanRecord) =>
  `Scan ${scan.id}: ${scan.kind} of ${scan.target || '(no target)'}, started ${time(scan.startedAt)}${scan.finishedAt ? `, finished ${time(scan.finishedAt)}` : ', not finished'}`;

/** `bulkhead scans show`: the scan and its results as the store kept them. */
export function storedScanReport(stored: StoredScan): Report {
  const document = envelope(
    'StoredScan',
    stored.results === 'findings'
      ? { scan: stored.scan, findings: stored.findings }
      : { scan: stored.scan, results: stored.controls, passed: stored.passed },
  );
  const items = scanItems(stored).sort(compareItems);
  const passed = passedCount(stored);
  return {
    document,
    table: () => ({
      title: scanTitle(stored.scan),
      columns: ITEM_COLUMNS,
      sections: [{ rows: items.map((i) => itemRow(i)) }],
      footer: [
        stored.results === 'findings'
          ? plural(items.length, 'finding')
          : `${plural(items.length, 'result')} kept one by one; ${plural(passed, 'plain pass', 'plain passes')} kept as counts over ${plural(Object.keys(stored.passed).length, 'control')}`,
      ],
    }),
  };
}

/**
 * `bulkhead scans diff`: what is new, resolved, changed or unchanged from `from` to `to`. Scans of different
 * kinds do not compare (a UserInputError).
 */
export function scanDiffReport(from: StoredScan, to: StoredScan): Report {
  if (kindFamily(from.scan.kind) !== kindFamily(to.scan.kind))
    throw new UserInputError(
      'scans diff',
      `scan ${from.scan.id} is ${from.scan.kind} and scan ${to.scan.id} is ${to.scan.kind}: only scans of the same kind compare`,
    );
  const diff = diffItems(scanItems(from), scanItems(to));
  const passed = { from: passedCount(from), to: passedCount(to) };
  const document = envelope('ScanDiff', { from: from.scan, to: to.scan, ...diff, passed });
  return {
    document,
    table: () => ({
      title: `Scan ${from.scan.id} → ${to.scan.id} (${to.scan.kind}): ${diff.new.length} new, ${diff.resolved.length} resolved, ${diff.changed.length} changed, ${diff.unchanged.length} unchanged`,
      columns: ITEM_COLUMNS,
      sections: [
        { title: 'New', rows: diff.new.map((i) => itemRow(i)) },
        { title: 'Resolved', rows: diff.resolved.map((i) => itemRow(i)) },
        { title: 'Changed', rows: diff.changed.map((i) => itemRow(i, `${i.was} → ${i.status}`)) },
      ].filter((s) => s.rows.length > 0),
      footer: [
        `${plural(diff.unchanged.length, 'result')} unchanged`,
        ...(from.results === 'controls' ? [`plain passes: ${passed.from} → ${passed.to}`] : []),
      ],
    }),
  };
}
