import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';

const UBUNTU = (...p: string[]) =>
  corpusPath('vulndb', 'ubuntu', 'vunnel', 'tests', 'unit', 'providers', 'ubuntu', 'test-fixtures', ...p);

describe('Ubuntu OSV', () => {
  it('keeps Ubuntu Pro streams apart and marks Pro-only packages as not fixed in the base release', () => {
    const { records, feeds } = loadRecords([UBUNTU('osv/cve/2016/UBUNTU-CVE-2016-20013.json')]);
    expect(feeds).toEqual(['ubuntu-osv']);
    const [r] = records;
    expect(r).toMatchObject({ id: 'UBUNTU-CVE-2016-20013', source: 'ubuntu', aliases: ['CVE-2016-20013'] });
    expect(r!.severity.find((s) => s.type === 'vendor')).toMatchObject({
      value: 'negligible',
      severity: 'LOW',
    });
    const row = (ns: string, pkg: string) => r!.affected.find((a) => a.namespace === ns && a.package === pkg);
    expect(row('deb/ubuntu-pro/16.04', 'glibc')).toMatchObject({ state: 'affected' });
    expect(row('deb/ubuntu/16.04', 'glibc')).toMatchObject({
      state: 'will_not_fix',
      reason: 'fixed only in Ubuntu Pro',
    });
    expect(row('deb/ubuntu/16.04', 'sssd')).toMatchObject({ state: 'affected', fixedVersion: null });
    expect(row('deb/ubuntu/22.04', 'glibc')).toMatchObject({ state: 'affected' });
  });

  it('reads fixed versions (dpkg) and withdrawn records', () => {
    const fixed = loadRecords([UBUNTU('osv/cve/2021/UBUNTU-CVE-2021-3782.json')]).records[0]!;
    expect(fixed.affected.find((a) => a.namespace === 'deb/ubuntu/22.04')).toMatchObject({
      package: 'wayland',
      state: 'fixed',
      fixedVersion: '1.20.0-1ubuntu0.1',
    });
    const withdrawn = loadRecords([UBUNTU('osv/cve/2013/UBUNTU-CVE-2013-2208.json')]).records[0]!;
    expect(withdrawn.withdrawn).toBe('2025-07-18T16:42:51.000Z');
    expect(withdrawn.affected.every((a) => a.state === 'withdrawn')).toBe(true);
  });

  it('reads USN records with their CVEs as aliases', () => {
    const usn = loadRecords([UBUNTU('osv/usn/USN-5614-1.json')]).records[0]!;
    expect(usn.id).toBe('USN-5614-1');
    expect(usn.source).toBe('ubuntu');
    expect(usn.aliases).toEqual(['UBUNTU-CVE-2021-3782', 'CVE-2021-3782']);
    expect(usn.affected.every((a) => a.namespace.startsWith('deb/ubuntu'))).toBe(true);
  });
});
