import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { compareWithSnapshots } from '../test-support/vunnel-snapshots.js';
import { readOracleOval } from './oracle-oval.js';

const fixtures = corpusPath(
  'vulndb',
  'oracle',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'oracle',
  'test-fixtures',
);

describe('Oracle ELSA OVAL', () => {
  it("agrees with vunnel's snapshots of the same OVAL (namespace, package, fixed version, severity)", () => {
    const result = compareWithSnapshots(
      readOracleOval([join(fixtures, 'mock_data')]),
      join(fixtures, 'snapshots'),
    );
    expect(result.checks).toBeGreaterThan(0);
    expect(result.agreed / result.checks, result.disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('one record per ELSA with its CVEs as aliases and the epoch kept in the fixed EVR', () => {
    const [r] = readOracleOval([join(fixtures, 'mock_data')]).filter((x) => x.id === 'ELSA-2007-0057');
    expect(r).toMatchObject({
      aliases: ['CVE-2007-0493', 'CVE-2007-0494'],
      published: '2007-06-26T00:00:00.000Z',
    });
    expect(new Set(r!.affected.map((a) => `${a.namespace} ${a.fixedVersion}`))).toEqual(
      new Set(['rpm/oracle/5 30:9.3.3-8.el5']),
    );
  });

  it('leaves ksplice builds out of the rows (they are not versions of the ordinary package)', () => {
    const records = readOracleOval([join(fixtures, 'mock_ksplice_data')]);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.affected.filter((a) => a.fixedVersion?.includes('ksplice'))).toEqual([]);
      const ksplice = (r.extra?.ksplice ?? []) as string[];
      expect(ksplice.length).toBeGreaterThan(0);
      expect(ksplice.every((k) => k.includes('ksplice'))).toBe(true);
    }
  });

  it('per-arch fixes: the highest revision is the row, every arch kept; one shared fix stays arch-less', () => {
    const records = readOracleOval([join(fixtures, 'mock_per_arch_data')]);
    for (const r of records) {
      const perArch = (r.extra?.archFixes ?? {}) as Record<string, Record<string, string>>;
      for (const a of r.affected) {
        const arches = perArch[`${a.namespace.split('/').pop()}/${a.package}`];
        if (!arches) continue;
        // the row's fix is one of the arch fixes and none is higher
        expect(Object.values(arches)).toContain(a.fixedVersion);
        expect(Object.keys(arches).length).toBeGreaterThan(1);
      }
    }
    const split = records.filter((r) => r.extra?.archFixes);
    const shared = records.filter((r) => !r.extra?.archFixes);
    expect(split.length).toBeGreaterThan(0);
    expect(shared.length).toBeGreaterThan(0);
  });
});
