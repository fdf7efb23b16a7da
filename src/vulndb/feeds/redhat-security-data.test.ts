import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';
import { splitNevra } from './redhat-security-data.js';

const RHEL = (...p: string[]) =>
  corpusPath('vulndb', 'rhel', 'vunnel', 'tests', 'unit', 'providers', 'rhel', 'test-fixtures', ...p);

const recordOf = (path: string) => {
  const { records, feeds } = loadRecords([path]);
  expect(feeds).toEqual(['redhat-security-data']);
  expect(records).toHaveLength(1);
  return records[0]!;
};

describe('Red Hat Security Data API', () => {
  it('reads fixed releases per RHEL stream, EUS streams apart, with the fix version as an rpm EVR', () => {
    const r = recordOf(RHEL('oval/input/cve/full/CVE-2023-5129'));
    expect(r.id).toBe('CVE-2023-5129');
    expect(r.source).toBe('redhat');
    const row = (ns: string, pkg: string) => r.affected.find((a) => a.namespace === ns && a.package === pkg);
    expect(row('rpm/redhat/8', 'libwebp')).toMatchObject({
      state: 'fixed',
      fixedVersion: '0:1.0.0-8.el8_8.1',
    });
    expect(row('rpm/redhat/8.6+eus', 'libwebp')).toMatchObject({ fixedVersion: '0:1.0.0-7.el8_6.1' });
    expect(row('rpm/redhat/9.0+eus', 'libwebp')).toMatchObject({ fixedVersion: '0:1.2.0-6.el9_0' });
    // products that are not a RHEL stream (Update Services for SAP, AUS, TUS) give no rows
    expect(r.affected.some((a) => /8\.[124]/.test(a.namespace))).toBe(false);
    // RHEL 6 is past its support for firefox: a package state, not a release
    expect(row('rpm/redhat/6', 'firefox')).toMatchObject({ state: 'end_of_life', fixedVersion: null });
    expect(r.references).toContain('https://access.redhat.com/errata/RHSA-2023:5309');
  });

  it('keeps Red Hat threat severity and the CVSS v3 vector', () => {
    const r = recordOf(RHEL('oval/input/cve/full/CVE-2017-3509'));
    expect(r.severity.find((s) => s.type === 'vendor')).toMatchObject({
      value: 'Moderate',
      severity: 'MEDIUM',
    });
    expect(r.severity.find((s) => s.type === 'CVSS_V3')).toMatchObject({ score: 4.2 });
    expect(r.affected.find((a) => a.namespace === 'rpm/redhat/5')).toMatchObject({
      package: 'java-1.6.0-sun',
      state: 'will_not_fix',
    });
    // epoch inside the NEVRA: java-1.8.0-openjdk-1:1.8.0.131-0.b11.el6_9
    expect(
      r.affected.find((a) => a.namespace === 'rpm/redhat/6' && a.package === 'java-1.8.0-openjdk'),
    ).toMatchObject({ fixedVersion: '1:1.8.0.131-0.b11.el6_9' });
  });

  it('keys modular packages as module:stream/name and leaves Flatpak copies out', () => {
    const r = recordOf(RHEL('oval/input/cve/full/CVE-2022-2309'));
    const rhel8 = r.affected.filter((a) => a.namespace === 'rpm/redhat/8').map((a) => [a.package, a.state]);
    expect(rhel8).toEqual(
      expect.arrayContaining([
        ['python38:3.8/python-lxml', 'not_affected'],
        ['python39:3.9/python-lxml', 'not_affected'],
        ['python-lxml', 'not_affected'],
      ]),
    );
    expect(r.affected.some((a) => a.package.includes('flatpak'))).toBe(false);
    expect(r.affected.find((a) => a.namespace === 'rpm/redhat/9')).toMatchObject({
      package: 'python-lxml',
      fixedVersion: '0:4.6.5-3.el9',
    });
  });

  it('reads the list form: severity and advisories, no rows; a malformed id is dropped', () => {
    const r = recordOf(RHEL('oval/input/cve/min/CVE-2023-5129'));
    expect(r.affected).toEqual([]);
    expect(r.references).toContain('https://access.redhat.com/errata/RHSA-2023:5204');
    const page = loadRecords([RHEL('csaf/input/cve/min_pages/1.json')]);
    expect(page.dropped.some((d) => d.includes('CVE-2024_11255'))).toBe(true);
  });

  it.each([
    ['libwebp-0:1.0.0-8.el8_8.1', 'libwebp', '0:1.0.0-8.el8_8.1'],
    ['1:java-1.8.0-ibm-1.8.0.4.5-1jpp.1.el6', 'java-1.8.0-ibm', '1:1.8.0.4.5-1jpp.1.el6'],
    ['kernel-4.18.0-80.el8', 'kernel', '4.18.0-80.el8'],
    ['nodejs:18', 'nodejs', undefined],
  ])('splits %s', (text, name, evr) => {
    expect(splitNevra(text)).toEqual({ name, ...(evr ? { evr } : {}) });
  });
});
