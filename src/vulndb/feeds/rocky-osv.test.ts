import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';

const ROCKY = (...p: string[]) =>
  corpusPath(
    'vulndb',
    'rocky',
    'vunnel',
    'tests',
    'unit',
    'providers',
    'rocky',
    'test-fixtures',
    'osv',
    ...p,
  );

describe('Rocky Linux OSV errata', () => {
  it('reads epoch-carrying fixed versions, CVEs from related and the summary severity', () => {
    const { records, feeds } = loadRecords([ROCKY('RLSA-2021_3891.json')]);
    expect(feeds).toEqual(['rocky-osv']);
    const [r] = records;
    expect(r).toMatchObject({ id: 'RLSA-2021:3891', source: 'rocky' });
    expect(r!.aliases).toContain('CVE-2021-35550');
    expect(r!.severity.find((s) => s.type === 'vendor')).toMatchObject({
      value: 'Important',
      severity: 'HIGH',
    });
    expect(r!.affected[0]).toMatchObject({
      namespace: 'rpm/rocky/8',
      package: 'java-11-openjdk',
      fixedVersion: '1:11.0.13.0.8-1.el8_4',
    });
  });

  it('keys a module stream’s packages as module:stream/name', () => {
    const r = loadRecords([ROCKY('RLSA-2024_3671.json')]).records[0]!;
    expect(r.affected.map((a) => a.package)).toContain('ruby:3.3/ruby');
    expect(r.affected.every((a) => a.namespace === 'rpm/rocky/9')).toBe(true);
  });
});
