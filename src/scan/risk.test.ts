import { describe, expect, it } from 'vitest';
import type { VulnerabilityFinding } from '../core/results.js';
import { SEVERITIES } from '../core/severity.js';
import { compareRisk, EPSS_BANDS, riskOf } from './risk.js';

const base: VulnerabilityFinding = {
  id: 'CVE-2024-0001',
  aliases: [],
  package: { name: 'p', version: '1', type: 'npm', purl: 'pkg:npm/p@1' },
  fixedVersion: null,
  status: 'affected',
  severity: 'LOW',
  severitySource: 'ghsa',
  remediation: '',
  dataSource: { id: 'ghsa', name: 'GitHub Security Advisory' },
};
const kev = { dateAdded: '2024-01-01', dueDate: '2024-01-22', knownRansomwareCampaignUse: 'Unknown' };
const epss = (score: number) => ({ score, percentile: 0.5, date: '2024-01-01' });

describe('risk order', () => {
  it('each factor outranks every combination of the ones after it', () => {
    const weakestKev = riskOf({ ...base, kev, severity: 'UNKNOWN' });
    const strongestOther = riskOf({ ...base, epss: epss(1), severity: 'CRITICAL', status: 'fixed' });
    expect(weakestKev).toBeGreaterThan(strongestOther);
    for (const floor of EPSS_BANDS) {
      const inBand = riskOf({ ...base, epss: epss(floor), severity: 'UNKNOWN' });
      const below = riskOf({ ...base, epss: epss(floor - 1e-6), severity: 'CRITICAL', status: 'fixed' });
      expect(inBand).toBeGreaterThan(below);
    }
    const bySeverity = SEVERITIES.map((severity) => riskOf({ ...base, severity }));
    expect([...bySeverity].sort((a, b) => b - a)).toEqual(bySeverity);
    expect(riskOf({ ...base, status: 'fixed' })).toBeGreaterThan(riskOf(base));
  });

  it('sorts highest risk first, then by the EPSS score itself within a band', () => {
    const a = { ...base, id: 'A', epss: epss(0.2) };
    const b = { ...base, id: 'B', epss: epss(0.3) };
    const c = { ...base, id: 'C', kev };
    expect([a, b, c].sort(compareRisk).map((f) => f.id)).toEqual(['C', 'B', 'A']);
  });
});
