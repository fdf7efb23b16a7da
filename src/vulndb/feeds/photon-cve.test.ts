import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { UserInputError } from '../../core/errors.js';
import { parseFile } from '../parse.js';
import { compareWithSnapshots } from '../test-support/vunnel-snapshots.js';
import { readPhoton } from './photon-cve.js';

const fixtures = corpusPath(
  'vulndb',
  'photon',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'photon',
  'test-fixtures',
);

describe('Photon OS CVE lists and advisories', () => {
  const records = readPhoton([join(fixtures, 'input')]);

  it("agrees with vunnel's snapshots of the same inputs (namespace, package, fixed version, severity)", () => {
    const result = compareWithSnapshots(records, join(fixtures, 'snapshots'));
    expect(result.checks).toBeGreaterThan(0);
    expect(result.agreed / result.checks, result.disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('takes the release from the file name and dates a CVE by the wiki advisory that names it', () => {
    const curl = records.find((r) => r.id === 'CVE-2023-38545')!;
    expect(curl.affected).toMatchObject([
      { namespace: 'rpm/photon/4.0', package: 'curl', fixedVersion: '7.88.1-4.ph4' },
    ]);
    expect(curl.aliases).toContain('PHSA-2023-4.0-0500');
    expect(curl.published).toBe('2023-10-11T00:00:00.000Z');
  });

  it('"Fixed" without a version is still open; "Not Affected" is a row that is not affected', () => {
    const rows = records.flatMap((r) => r.affected);
    for (const row of rows) {
      if (row.state === 'fixed') expect(row.fixedVersion).toMatch(/\.ph\d+$/);
      else expect(row.fixedVersion).toBeNull();
    }
    expect(rows.some((r) => r.state === 'affected')).toBe(true);
    expect(rows.some((r) => r.state === 'not_affected')).toBe(true);
  });

  it('refuses a CVE list whose release cannot be told, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'photon-'));
    const path = join(dir, 'cves.json');
    const rows = JSON.parse(
      readFileSync(join(fixtures, 'input', 'cve_data_photon4.0.json'), 'utf8'),
    ) as Record<string, unknown>[];
    writeFileSync(path, JSON.stringify(rows.map((r) => ({ ...r, res_ver: 'NA' }))));
    expect(() => parseFile({ path, explicit: true }, {})).toThrow(UserInputError);
    expect(() => parseFile({ path, explicit: true }, {})).toThrow(/cves\.json.*no Photon release/);
  });
});
