import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';
import { streamOfCpe } from './redhat-csaf.js';

const CSAF = (...p: string[]) =>
  corpusPath('vulndb', 'rhel', 'vunnel', 'tests', 'unit', 'providers', 'rhel', 'test-fixtures', 'csaf', ...p);

const recordOf = (path: string) => {
  const { records, feeds } = loadRecords([path]);
  expect(feeds).toEqual(['redhat-csaf']);
  return records[0]!;
};

describe("Red Hat's CSAF advisories", () => {
  it('reads the fixed binary packages of a module stream per RHEL stream, with their CVEs and severity', () => {
    const r = recordOf(CSAF('advisories/rhsa-2023_7025.json'));
    expect(r).toMatchObject({ id: 'RHSA-2023:7025', source: 'redhat-csaf' });
    expect(r.aliases).toEqual(['CVE-2021-33621', 'CVE-2022-28739', 'CVE-2023-28755', 'CVE-2023-28756']);
    expect(r.severity[0]).toMatchObject({ value: 'Moderate', severity: 'MEDIUM' });
    expect(r.affected.find((a) => a.package === 'ruby:2.5/ruby')).toMatchObject({
      namespace: 'rpm/redhat/8',
      state: 'fixed',
      fixedVersion: '0:2.5.9-111.module+el8.9.0+19193+435404ae',
    });
    // binaries only when the advisory lists them: no row for the source RPM of the same name twice
    expect(new Set(r.affected.map((a) => `${a.namespace} ${a.package}`)).size).toBe(r.affected.length);
  });

  it('puts EUS and ELS fixes in their own streams and keeps the epoch', () => {
    const eus = recordOf(CSAF('advisories/rhsa-2024_0811.json'));
    expect(eus.affected.find((a) => a.package === 'sudo')).toMatchObject({
      namespace: 'rpm/redhat/9.0+eus',
      fixedVersion: '0:1.9.5p2-7.el9_0.4',
    });
    const els = recordOf(CSAF('advisories/2025/rhsa-2025_23414.json'));
    expect(els.affected.find((a) => a.package === 'bind')).toMatchObject({
      namespace: 'rpm/redhat/6+els',
      fixedVersion: '32:9.8.2-0.68.rc1.el6_10.17',
    });
  });

  it('reads an advisory that lists only source packages by those', () => {
    const r = recordOf(CSAF('advisories/2024/rhsa-2024_6163.json'));
    expect(r.affected).toEqual([
      expect.objectContaining({
        namespace: 'rpm/redhat/9.4+eus',
        package: 'python3.9',
        fixedVersion: '0:3.9.18-3.el9_4.5',
      }),
    ]);
  });

  it.each([
    ['cpe:/a:redhat:enterprise_linux:8::appstream', '8'],
    ['cpe:/o:redhat:enterprise_linux:9::baseos', '9'],
    ['cpe:/a:redhat:rhel_eus:9.4::appstream', '9.4+eus'],
    ['cpe:/o:redhat:rhel_els:6', '6+els'],
    ['cpe:/a:redhat:rhel_e4s:8.6::appstream', undefined],
    ['cpe:/a:redhat:openshift:4.14::el9', undefined],
  ])('%s is the RHEL stream %s', (cpe, stream) => expect(streamOfCpe(cpe)).toBe(stream));
});
