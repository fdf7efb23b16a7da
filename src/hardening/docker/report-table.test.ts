import { describe, expect, it } from 'vitest';
import { type Severity, severityRank } from '../../core/severity.js';
import { runControls } from './benchmark.js';
import { CONTROLS } from './controls/index.js';
import { benchmarkTable } from './report-table.js';
import { container, evidence } from './test-support/evidence.js';

const host = evidence({
  containers: [
    container('web', { HostConfig: { Memory: 0, ReadonlyRootfs: false } }),
    container('db', { HostConfig: { Memory: 64 * 1024 * 1024, ReadonlyRootfs: true } }),
  ],
});
const results = runControls(host, CONTROLS);

describe('bench docker table', () => {
  it('lists the controls of each section most severe first, then by resource', () => {
    const table = benchmarkTable('t', results, []);
    let compared = 0;
    for (const section of table.sections) {
      const rows = section.rows.map((r) => ({
        rank: severityRank(r.severity as Severity),
        resources: results.find((x) => String(r.id).split(' ')[0] === x.id)!.resources.map((x) => x.name),
      }));
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        expect(a.rank).toBeGreaterThanOrEqual(b.rank);
        if (a.rank === b.rank) {
          expect(a.resources.join(', ').localeCompare(b.resources.join(', '))).toBeLessThanOrEqual(0);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
    // a detail line still follows its own row
    const section = table.sections.find((s) => s.rows.some((r) => r.id === '5.11'))!;
    const row = section.rows.findIndex((r) => r.id === '5.11');
    expect(section.details?.[row]?.[0]).toMatch(/^why: .*web/);
  });
});
