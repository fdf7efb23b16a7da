import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { freshDatabase } from '../../store/test-support/dialects.js';
import { importSources } from '../importer.js';
import { findAdvisories } from '../query.js';
import { compareWithSnapshots } from '../test-support/vunnel-snapshots.js';
import { readMarinerOval } from './mariner-oval.js';

const fixtures = corpusPath(
  'vulndb',
  'mariner',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'mariner',
  'test-fixtures',
);

describe('CBL-Mariner / Azure Linux OVAL', () => {
  const records = readMarinerOval([fixtures]);

  it("agrees with vunnel's snapshots of the same OVAL (namespace, package, fixed version, severity)", () => {
    const result = compareWithSnapshots(records, join(fixtures, 'snapshots'));
    expect(result.checks).toBeGreaterThan(0);
    expect(result.agreed / result.checks, result.disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('takes the release from the dist tag: .cm2 is CBL-Mariner 2.0, .azl3 Azure Linux 3.0', () => {
    const namespaces = new Set(records.flatMap((r) => r.affected.map((a) => a.namespace)));
    expect(namespaces).toEqual(new Set(['rpm/mariner/2.0', 'rpm/azurelinux/3.0']));
  });

  it('reads the bounds: a lower bound opens the range, "or earlier" with no patch is the last affected', () => {
    const golang = records.find((r) => r.id === 'CVE-2023-29404')!.affected[0]!;
    expect(golang.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0:1.19.0.cm2' }, { fixed: '0:1.20.7-1.cm2' }] },
    ]);
    const bind = records.find((r) => r.id === 'CVE-2022-3736')!.affected[0]!;
    expect(bind).toMatchObject({ state: 'affected', fixedVersion: null, reason: 'no patch available' });
    expect(bind.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '0:9.16.33-1.cm2' }] },
    ]);
    expect(records.find((r) => r.id === 'CVE-2023-0687')!.affected[0]).toMatchObject({
      state: 'not_affected',
    });
  });
});

describe('imported Mariner rows in a store', () => {
  it('match installed versions by their bounds (lower bound, fix, last affected)', async () => {
    const database = await freshDatabase('sqlite');
    const store = await database.open();
    try {
      await importSources(store.db, [join(fixtures, 'mariner-truncated-2.0-oval.xml')]);
      const ids = async (pkg: string, version: string) =>
        (await findAdvisories(store.db, { namespace: 'rpm/mariner/2.0', package: pkg, version })).map(
          (m) => m.vulnId,
        );
      expect(await ids('golang', '1.20.6-1.cm2')).toContain('CVE-2023-29404');
      expect(await ids('golang', '1.20.7-1.cm2')).not.toContain('CVE-2023-29404');
      expect(await ids('golang', '1.18.10-1.cm2')).not.toContain('CVE-2023-29404');
      expect(await ids('bind', '9.16.33-1.cm2')).toContain('CVE-2022-3736');
      expect(await ids('bind', '9.16.37-1.cm2')).not.toContain('CVE-2022-3736');
      expect(await ids('glibc', '2.35-4.cm2')).toEqual([]);
    } finally {
      await store.close();
      await database.dispose();
    }
  });
});
