import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';

const FEDORA = (...p: string[]) =>
  corpusPath('vulndb', 'fedora', 'vunnel', 'tests', 'unit', 'providers', 'fedora', 'test-fixtures', ...p);

describe('Fedora Bodhi updates', () => {
  it('reads a security update: CVEs from its bugs, builds as epoch:version-release', () => {
    const { records, feeds } = loadRecords([FEDORA('merge-input/FEDORA-2023-6d4055d482.json')]);
    expect(feeds).toEqual(['fedora-bodhi']);
    const [r] = records;
    expect(r).toMatchObject({ id: 'FEDORA-2023-6d4055d482', source: 'fedora' });
    expect(r!.aliases).toEqual(['CVE-2022-37436', 'CVE-2006-20001', 'CVE-2022-36760']);
    expect(r!.severity[0]).toMatchObject({ value: 'medium', severity: 'MEDIUM' });
    expect(r!.affected).toEqual([
      expect.objectContaining({
        namespace: 'rpm/fedora/36',
        package: 'httpd',
        state: 'fixed',
        fixedVersion: '0:2.4.55-1.fc36',
      }),
    ]);
  });

  it('files EPEL updates under their EPEL release; unspecified severity says nothing', () => {
    const r = loadRecords([FEDORA('merge-input/FEDORA-EPEL-2017-a8886eb42e.json')]).records[0]!;
    expect(r.affected.map((a) => [a.namespace, a.package, a.fixedVersion])).toEqual([
      ['rpm/epel/7', 'cross-binutils', '0:2.27-9.el7.1'],
      ['rpm/epel/7', 'cross-gcc', '0:4.8.5-16.el7.1'],
    ]);
    const unspecified = loadRecords([FEDORA('merge-input/FEDORA-2014-15583.json')]).records[0]!;
    expect(unspecified.severity).toEqual([]);
  });

  it('keeps the build epoch, and an update naming no CVE under its own id', () => {
    const java = loadRecords([FEDORA('input/FEDORA-2025-ddd4444444.json')]).records[0]!;
    expect(java.affected[0]?.fixedVersion).toBe('1:17.0.14.0.7-1.fc40');
    expect(java.severity[0]?.severity).toBe('HIGH');
    const expat = loadRecords([FEDORA('input/FEDORA-2025-bbb2222222.json')]).records[0]!;
    expect(expat).toMatchObject({ id: 'FEDORA-2025-bbb2222222', aliases: [] });
  });
});
