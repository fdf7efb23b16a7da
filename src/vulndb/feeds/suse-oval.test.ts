import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { UserInputError } from '../../core/errors.js';
import { parseFile } from '../parse.js';
import { compareWithSnapshots } from '../test-support/vunnel-snapshots.js';
import { readSuseOval } from './suse-oval.js';

const fixtures = corpusPath(
  'vulndb',
  'sles',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'sles',
  'test-fixtures',
);

describe('SUSE OVAL', () => {
  const records = readSuseOval([fixtures]);

  it("agrees with vunnel's snapshots of the same OVAL file (namespace, package, fixed version, severity)", () => {
    const result = compareWithSnapshots(records, `${fixtures}/snapshots`);
    expect(result.checks).toBeGreaterThan(0);
    expect(result.agreed / result.checks, result.disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps one row per release: the plain release wins over its LTSS stream, 15 and 15 SP1 apart', () => {
    const r = records.find((x) => x.id === 'CVE-2021-29154')!;
    const kernel = r.affected.filter((a) => a.package === 'kernel-default');
    expect(kernel.map((a) => [a.namespace, a.fixedVersion])).toEqual([
      ['rpm/suse/15', '0:4.12.14-150.72.1'],
      ['rpm/suse/15.1', '0:4.12.14-197.89.2'],
    ]);
    expect(r.severity.map((s) => s.severity)).toEqual(['HIGH', 'HIGH']);
  });

  it('reads "is not affected" as a row that is not affected, and skips products that are not a server', () => {
    const r = records.find((x) => x.id === 'CVE-2026-34073')!;
    expect(r.affected).toMatchObject([
      { namespace: 'rpm/suse/15', state: 'not_affected', fixedVersion: null },
    ]);
    // CVE-1999-0524 names only SUSE modules (Basesystem, Development Tools)
    expect(records.find((x) => x.id === 'CVE-1999-0524')!.affected).toEqual([]);
  });
});

describe('a broken OVAL file', () => {
  it('is refused with one line naming the file and the fault, nothing of it read', () => {
    const text = readFileSync(join(fixtures, 'suse_truncated.xml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'oval-'));
    const path = join(dir, 'cut.xml');
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    expect(() => parseFile({ path, explicit: true }, {})).toThrow(UserInputError);
    expect(() => parseFile({ path, explicit: true }, {})).toThrow(
      /cut\.xml.*suse-oval: malformed XML at line \d+/,
    );
  });
});
