import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';

const ALMA = (...p: string[]) =>
  corpusPath(
    'vulndb',
    'alma',
    'vunnel',
    'tests',
    'unit',
    'providers',
    'alma',
    'test-fixtures',
    'osv-database',
    'advisories',
    ...p,
  );

describe('AlmaLinux OSV errata', () => {
  it('reads fixed versions per release, CVEs from related, severity from the summary', () => {
    const { records, feeds } = loadRecords([ALMA('almalinux8/ALSA-2023:4520.json')]);
    expect(feeds).toEqual(['alma-osv']);
    const [r] = records;
    expect(r).toMatchObject({ id: 'ALSA-2023:4520', source: 'alma', aliases: ['CVE-2023-32681'] });
    expect(r!.severity.find((s) => s.type === 'vendor')).toMatchObject({
      value: 'Moderate',
      severity: 'MEDIUM',
    });
    expect(r!.affected).toEqual([
      expect.objectContaining({
        namespace: 'rpm/almalinux/8',
        package: 'python3-requests',
        state: 'fixed',
        fixedVersion: '2.20.0-3.el8_8',
      }),
    ]);
  });

  it('keys a module stream’s packages as module:stream/name', () => {
    const r = loadRecords([ALMA('almalinux8/ALSA-2023:5259.json')]).records[0]!;
    expect(r.affected[0]).toMatchObject({
      package: 'mariadb:10.3/mariadb',
      fixedVersion: '3:10.3.39-1.module_el8.8.0+3609+204d4ab0',
    });
  });

  it('reads a bug fix erratum without CVEs or severity', () => {
    const r = loadRecords([ALMA('almalinux8/ALBA-2021:4378.json')]).records[0]!;
    expect(r.aliases).toEqual([]);
    expect(r.severity).toEqual([]);
    expect(r.affected.every((a) => a.namespace === 'rpm/almalinux/8' && a.state === 'fixed')).toBe(true);
  });
});
