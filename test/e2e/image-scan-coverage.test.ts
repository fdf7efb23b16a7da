/**
 * `bulkhead image scan` never calls an image healthy over data it does not have (built CLI): an empty database is an
 * error, a namespace without advisories gives `healthy: null` and a warning even under --quiet, and the gate fails
 * unless --allow-uncovered; stale data warns, at a clock given by BULKHEAD_NOW.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

let dir: string;
let newest: string;
const home = () => join(dir, 'home');

/** A CycloneDX SBOM of a Debian 12 image with one deb package and the npm packages given. */
function sbom(name: string, npm: [string, string][]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [
        { 'bom-ref': 'os', type: 'operating-system', name: 'debian', version: '12.5' },
        {
          'bom-ref': 'bash',
          type: 'library',
          name: 'bash',
          version: '5.2.15-2',
          purl: 'pkg:deb/debian/bash@5.2.15-2?distro=debian-12.5',
        },
        ...npm.map(([n, v]) => ({
          'bom-ref': n,
          type: 'library',
          name: n,
          version: v,
          purl: `pkg:npm/${n}@${v}`,
        })),
      ],
    }),
  );
  return `sbom:${file}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-coverage-'));
  const nswg = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
  const imported = await runBuiltCli(['--home', home(), 'db', 'import', nswg, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
  const status = await runBuiltCli(['--home', home(), '--format', 'json', 'db', 'status']);
  newest = JSON.parse(status.stdout)
    .sources.map((s: { newest: string | null }) => s.newest ?? '')
    .sort()
    .at(-1);
  expect(newest).toMatch(/^\d{4}-\d\d-\d\d/);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A clock one day after the newest record: the data is fresh. */
const fresh = () => ({ BULKHEAD_NOW: new Date(Date.parse(newest) + 86_400_000).toISOString() });

const scan = (target: string, args: string[], env: NodeJS.ProcessEnv = fresh()) =>
  runBuiltCli(['--home', home(), 'image', 'scan', target, '--no-store', ...args], { env });

describe('image scan coverage', () => {
  it('an empty advisory database is an error (exit 2), before the image is read', async () => {
    // the file exists but is no SBOM: were it read, the error would be about its content
    const unread = join(dir, 'not-an-sbom.json');
    writeFileSync(unread, '{"hello": "world"}');
    const run = await runBuiltCli(['--home', join(dir, 'empty'), 'image', 'scan', `sbom:${unread}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('bulkhead: no advisory data: run `bulkhead db update` or `db import`\n');
  });

  it('a namespace without advisories: healthy null, coverage per namespace, a warning even under --quiet', async () => {
    const target = sbom('clean.cdx.json', [['ms', '2.1.3']]);
    const run = await scan(target, ['--quiet', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: no advisory data for namespace deb/debian/12');
    const doc = JSON.parse(run.stdout);
    expect(doc.healthy).toBeNull();
    expect(doc.vulnerabilities).toEqual([]);
    const byNs = Object.fromEntries(doc.coverage.map((c: { namespace: string }) => [c.namespace, c]));
    expect(byNs['deb/debian/12']).toEqual({
      namespace: 'deb/debian/12',
      records: 0,
      newest: null,
      covered: false,
    });
    expect(byNs.npm).toMatchObject({ namespace: 'npm', covered: true });
    expect(byNs.npm.records).toBeGreaterThan(100);
    expect(byNs.npm.newest).toBe(newest);
    // not assessed counts as failing, unless the user accepts it
    expect((await scan(target, ['--quiet', '--exit-code', '1'])).code).toBe(1);
    expect((await scan(target, ['--quiet', '--exit-code', '1', '--allow-uncovered'])).code).toBe(0);
    // findings fail the gate whatever --allow-uncovered says
    const vulnerable = sbom('lodash.cdx.json', [['lodash', '4.17.4']]);
    expect((await scan(vulnerable, ['--quiet', '--exit-code', '3', '--allow-uncovered'])).code).toBe(3);
    // findings carry links: the NVD page of their CVE
    const found = JSON.parse((await scan(vulnerable, ['--quiet', '--format', 'json'])).stdout);
    const cve = found.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2018-16487');
    expect(cve.links).toContain('https://nvd.nist.gov/vuln/detail/CVE-2018-16487');
    const table = await scan(target, []);
    expect(table.stdout).toContain('NOT ASSESSED');
    expect(table.stdout).not.toContain('— healthy');
  });

  it('a fully covered scan stays healthy: true, with no coverage warning', async () => {
    const npmOnly = join(dir, 'npm-only.cdx.json');
    writeFileSync(
      npmOnly,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        components: [
          { 'bom-ref': 'ms', type: 'library', name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3' },
        ],
      }),
    );
    const run = await scan(`sbom:${npmOnly}`, ['--format', 'json', '--exit-code', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      healthy: true,
      coverage: [{ namespace: 'npm', covered: true }],
    });
  });

  it('stale data warns with its age at the injected clock; the threshold is configurable', async () => {
    const target = sbom('stale.cdx.json', [['ms', '2.1.3']]);
    const later = new Date(Date.parse(newest) + 30 * 86_400_000).toISOString();
    const stale = await scan(target, ['--quiet', '--format', 'json'], { BULKHEAD_NOW: later });
    expect(stale.stderr).toContain('warning: the advisory data is 30 days old');
    expect(stale.stderr).toContain('limit 7 days');
    const allowed = await scan(target, ['--quiet', '--format', 'json', '--max-db-age', '60'], {
      BULKHEAD_NOW: later,
    });
    expect(allowed.stderr).not.toContain('days old');
    const byEnv = await scan(target, ['--quiet', '--format', 'json'], {
      BULKHEAD_NOW: later,
      BULKHEAD_MAX_DB_AGE: '29',
    });
    expect(byEnv.stderr).toContain('limit 29 days');
    expect((await scan(target, ['--quiet'])).stderr).not.toContain('days old');
    const bad = await scan(target, ['--max-db-age', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('bulkhead: --max-db-age: "soon" is not a number of days\n');
  });
});
