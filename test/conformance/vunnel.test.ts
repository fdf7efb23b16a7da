import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { providerFolders, vunnel } from './suites/vunnel.js';
import { runSuite } from './summarize.js';

const fixtures = (provider: string) =>
  corpusPath('vulndb', provider, 'vunnel', 'tests', 'unit', 'providers', provider, 'test-fixtures');

const scratch = mkdtempSync(join(tmpdir(), 'bulkhead-vunnel-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('vunnel suite', () => {
  it.each(['rhel', 'ubuntu', 'fedora', 'sles', 'oracle', 'mariner', 'amazon', 'photon'])(
    'agrees with ≥ 95 %% of the %s snapshots',
    async (provider) => {
      const summary = await runSuite(vunnel, corpusPath('vulndb', provider));
      const decided = summary.passed + summary.failed;
      expect(decided).toBeGreaterThan(0);
      expect(summary.cases.every((c) => c.id.startsWith(`${provider}/`))).toBe(true);
      expect(
        summary.passed / decided,
        JSON.stringify(summary.cases.filter((c) => c.verdict === 'failed')),
      ).toBeGreaterThanOrEqual(0.95);
    },
  );

  it('finds the provider from its fixtures folder, the provider folder or a folder above', () => {
    const want = [{ provider: 'rhel', fixtures: fixtures('rhel') }];
    expect(providerFolders(fixtures('rhel'))).toEqual(want);
    expect(providerFolders(join(fixtures('rhel'), '..'))).toEqual(want);
    expect(providerFolders(corpusPath('vulndb', 'rhel'))).toEqual(want);
  });

  it('reads AlmaLinux and Rocky Linux inputs, which have no snapshots, without a case', async () => {
    for (const provider of ['alma', 'rocky'])
      expect((await runSuite(vunnel, corpusPath('vulndb', provider))).cases).toEqual([]);
  });

  it('fails a snapshot that differs, with a one-line diff', async () => {
    const root = join(scratch, 'tests', 'unit', 'providers', 'rhel', 'test-fixtures');
    const input = join(root, 'oval', 'input', 'cve', 'full');
    mkdirSync(input, { recursive: true });
    cpSync(
      join(fixtures('rhel'), 'oval', 'input', 'cve', 'full', 'CVE-2023-5129'),
      join(input, 'CVE-2023-5129'),
    );
    const snapshot = JSON.parse(
      readFileSync(join(fixtures('rhel'), 'snapshots', 'rhel:8.6+eus', 'cve-2023-5129.json'), 'utf8'),
    );
    snapshot.item.Vulnerability.FixedIn[0].Version = '0:1.0.0-7.el8_6.2';
    mkdirSync(join(root, 'snapshots', 'rhel:8.6+eus'), { recursive: true });
    writeFileSync(join(root, 'snapshots', 'rhel:8.6+eus', 'cve-2023-5129.json'), JSON.stringify(snapshot));
    const summary = await runSuite(vunnel, scratch);
    expect(summary.cases).toEqual([
      {
        id: 'rhel/rhel:8.6+eus/cve-2023-5129.json',
        verdict: 'failed',
        detail: 'vunnel libwebp@0:1.0.0-7.el8_6.2 fixed; Bulkhead libwebp@0:1.0.0-7.el8_6.1 fixed',
      },
    ]);
  });

  it('fails loudly on a provider it has no feed for, and on a snapshot schema it does not know', async () => {
    // vunnel's KEV provider: exploitation data, no packages, so no feed of this suite
    await expect(runSuite(vunnel, corpusPath('vulndb', 'kev'))).rejects.toThrow(
      /vunnel provider "kev" .* has no Bulkhead feed/,
    );
    const root = join(scratch, 'odd', 'tests', 'unit', 'providers', 'fedora', 'test-fixtures', 'snapshots');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      join(root, 'x.json'),
      JSON.stringify({ schema: 'https://example.org/other/schema-1.0.json' }),
    );
    await expect(runSuite(vunnel, join(scratch, 'odd'))).rejects.toThrow(
      /schema .* is not one the vunnel suite knows/,
    );
  });
});
