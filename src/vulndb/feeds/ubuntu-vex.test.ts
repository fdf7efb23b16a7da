import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';

const UBUNTU = (...p: string[]) =>
  corpusPath('vulndb', 'ubuntu', 'vunnel', 'tests', 'unit', 'providers', 'ubuntu', 'test-fixtures', ...p);

describe("Canonical's OpenVEX", () => {
  it('reads decisions not to fix per release pocket and source package', () => {
    const { records, feeds } = loadRecords([UBUNTU('vex/cve/2016/CVE-2016-20013.json')]);
    expect(feeds).toEqual(['ubuntu-vex']);
    const [r] = records;
    expect(r!.id).toBe('CVE-2016-20013');
    const row = (ns: string, pkg: string) => r!.affected.find((a) => a.namespace === ns && a.package === pkg);
    expect(row('deb/ubuntu/14.04', 'sssd')).toMatchObject({ state: 'will_not_fix' });
    expect(row('deb/ubuntu-pro/16.04', 'glibc')).toMatchObject({ state: 'will_not_fix' });
    expect(row('deb/ubuntu-pro/22.04', 'zabbix')).toMatchObject({ state: 'will_not_fix' });
    // `component_not_present`: noble does not ship zabbix, so nothing is said
    expect(row('deb/ubuntu/24.04', 'zabbix')).toBeUndefined();
    // binary package products are not rows
    expect(r!.affected.some((a) => a.package === 'libc6')).toBe(false);
  });

  it('reads no-longer-supported as end of life and skips fixed statements', () => {
    const r = loadRecords([UBUNTU('vex/cve/2023/CVE-2023-38545.json')]).records[0]!;
    const states = new Set(r.affected.map((a) => a.state));
    expect(states.has('end_of_life')).toBe(true);
    expect(states.has('fixed')).toBe(false);
    expect(r.affected.some((a) => a.state === 'not_affected')).toBe(true);
  });
});
