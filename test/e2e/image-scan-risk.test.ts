/**
 * `db import` of CISA's KEV catalog and a FIRST EPSS file, then `image scan sbom:PATH --sort risk`, the `--kev` and
 * `--epss-threshold` gates and the severity source, through the built CLI on corpus advisories.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, epssSamplePath, kevCatalogPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

const KEV = kevCatalogPath();
const EPSS = epssSamplePath();
const OSV = (...p: string[]) => corpusPath('vulndb', 'osv', ...p);
// salt's PYSEC-2020-102 is CVE-2020-11651, which KEV lists; PYSEC records carry no severity
const SALT = OSV('pypi', 'pypa-advisory-database', 'vulns', 'salt', 'PYSEC-2020-102.yaml');
const LODASH = [368, 493].map((n) => OSV('npm', 'nodejs-security-wg', 'vuln', 'npm', `${n}.json`));
const SIZED_CHUNKS = OSV('crates', 'rustsec-advisory-db', 'crates', 'sized-chunks', 'RUSTSEC-2020-0041.md');
const SIZED_CHUNKS_GHSA = OSV(
  'ghsa',
  'trivy-db',
  'pkg',
  'vulnsrc',
  'ghsa',
  'testdata',
  'happy',
  'ghsa',
  'advisories',
  'github-reviewed',
  '2021',
  '08',
  'GHSA-mp6f-p9gp-vpj9',
  'GHSA-mp6f-p9gp-vpj9.json',
);

const catalog = JSON.parse(readFileSync(KEV, 'utf8')) as {
  count: number;
  vulnerabilities: {
    cveID: string;
    dateAdded: string;
    dueDate: string;
    knownRansomwareCampaignUse: string;
  }[];
};

interface Finding {
  id: string;
  severity: string;
  severitySource: string;
  risk: number;
  kev?: { dateAdded: string; dueDate: string; knownRansomwareCampaignUse: string };
  epss?: { score: number; percentile: number };
}

let dir: string;
const home = () => join(dir, 'home');
const cli = (args: string[], env?: NodeJS.ProcessEnv) =>
  runBuiltCli(['--home', home(), ...args], env ? { env } : {});

function sbom(name: string, purls: string[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: purls.map((purl) => {
        const nameAndVersion = /^pkg:[^/]+\/(.+)$/.exec(purl)![1]!;
        const at = nameAndVersion.lastIndexOf('@');
        return {
          'bom-ref': purl,
          type: 'library',
          name: nameAndVersion.slice(0, at),
          version: nameAndVersion.slice(at + 1),
          purl,
        };
      }),
    }),
  );
  return file;
}

let app: string;
let lodashOnly: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-risk-'));
  app = sbom('app.cdx.json', ['pkg:npm/lodash@4.17.4', 'pkg:pypi/salt@3000.1']);
  lodashOnly = sbom('lodash.cdx.json', ['pkg:npm/lodash@4.17.4']);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const scan = async (file: string, ...flags: string[]) => {
  const run = await cli(['--format', 'json', 'image', 'scan', `sbom:${file}`, '--no-store', ...flags]);
  return { ...run, findings: run.code === 0 ? (JSON.parse(run.stdout).vulnerabilities as Finding[]) : [] };
};

describe('KEV and EPSS through the built CLI', () => {
  it('db import reads the real KEV catalog (1,400+ entries) and an EPSS file; db status counts them', async () => {
    const kev = await cli(['--format', 'json', 'db', 'import', KEV]);
    expect(kev.code, kev.stderr).toBe(0);
    expect(JSON.parse(kev.stdout)).toMatchObject({ kev: catalog.count, formats: { 'cisa-kev': 1 } });
    expect(catalog.count).toBeGreaterThan(1400);
    const rest = await cli([
      '--format',
      'json',
      'db',
      'import',
      EPSS,
      SALT,
      ...LODASH,
      SIZED_CHUNKS,
      SIZED_CHUNKS_GHSA,
    ]);
    expect(rest.code, rest.stderr).toBe(0);
    const epssRows = readFileSync(EPSS, 'utf8').trim().split('\n').length - 2;
    expect(JSON.parse(rest.stdout)).toMatchObject({ epss: epssRows, kev: 0 });
    const status = await cli(['db', 'status']);
    expect(status.stdout).toContain(`KEV: ${catalog.count.toLocaleString('en')} entries`);
    expect(status.stdout).toContain(`EPSS: ${epssRows} scores`);
  });

  it('a KEV finding carries its dates, and --sort risk puts it first', async () => {
    const entry = catalog.vulnerabilities.find((v) => v.cveID === 'CVE-2020-11651')!;
    const bySeverity = await scan(app);
    expect(bySeverity.code, bySeverity.stderr).toBe(0);
    const salt = bySeverity.findings.find((f) => f.id === 'CVE-2020-11651')!;
    expect(salt.kev).toEqual({
      dateAdded: entry.dateAdded,
      dueDate: entry.dueDate,
      knownRansomwareCampaignUse: entry.knownRansomwareCampaignUse,
    });
    expect(bySeverity.findings[0]!.id).not.toBe('CVE-2020-11651');
    const byRisk = await scan(app, '--sort', 'risk');
    expect(byRisk.findings[0]).toMatchObject({ id: 'CVE-2020-11651', kev: salt.kev });
    expect(byRisk.findings[0]!.risk).toBeGreaterThan(
      Math.max(...byRisk.findings.slice(1).map((f) => f.risk)),
    );
    const table = await cli(['image', 'scan', `sbom:${app}`, '--no-store', '--sort', 'risk']);
    expect(table.stdout.indexOf('CVE-2020-11651 (KEV)')).toBeGreaterThan(-1);
    expect(table.stdout.indexOf('CVE-2020-11651')).toBeLessThan(table.stdout.indexOf('CVE-2018-16487'));
    expect(table.stdout).not.toMatch(/CVE-2018-16487 \(KEV\)/);
  });

  it('--kev and --epss-threshold choose which findings trip --exit-code', async () => {
    expect((await scan(app, '--exit-code', '3', '--kev')).code).toBe(3);
    expect((await scan(lodashOnly, '--exit-code', '3', '--kev')).code).toBe(0);
    expect((await scan(lodashOnly, '--exit-code', '3')).code).toBe(3);
    // the corpus EPSS file scores none of these CVEs
    expect((await scan(app, '--exit-code', '3', '--epss-threshold', '0')).code).toBe(0);
    const bad = await scan(app, '--exit-code', '3', '--epss-threshold', '7');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('bulkhead: --epss-threshold: "7" is not an EPSS score from 0 to 1 (e.g. 0.1)\n');
    const alone = await scan(app, '--kev');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe('bulkhead: --kev: gates --exit-code: give --exit-code too\n');
    expect((await scan(app, '--sort', 'age')).stderr).toMatch(
      /^bulkhead: --sort: "age" is not one of severity, risk\n$/,
    );
  });

  it('--vuln-severity-source, its variable and config key choose whose severity a finding takes', async () => {
    const crate = sbom('crate.cdx.json', ['pkg:cargo/sized-chunks@0.6.2']);
    const source = async (...flags: string[]) => {
      const run = await scan(crate, ...flags);
      expect(run.code, run.stderr).toBe(0);
      return run.findings.find((f) => f.id === 'CVE-2020-25792')!.severitySource;
    };
    expect(await source()).toBe('ghsa');
    expect(await source('--vuln-severity-source', 'rustsec,ghsa')).toBe('rustsec');
    writeFileSync(join(home(), 'config.yaml'), 'vulnSeveritySource: rustsec\n');
    try {
      expect(await source()).toBe('rustsec');
      expect(await source('--vuln-severity-source', 'auto')).toBe('ghsa');
      const env = await cli(['--format', 'json', 'image', 'scan', `sbom:${crate}`, '--no-store'], {
        BULKHEAD_VULN_SEVERITY_SOURCE: 'ghsa',
      });
      expect(
        JSON.parse(env.stdout).vulnerabilities.find((f: Finding) => f.id === 'CVE-2020-25792').severitySource,
      ).toBe('ghsa');
      writeFileSync(join(home(), 'config.yaml'), 'vulnSeveritySource: rustsec,nvdd\n');
      const bad = await scan(crate);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(
        /^bulkhead: .*config\.yaml: vulnSeveritySource: "nvdd" is not a severity source \(/,
      );
    } finally {
      rmSync(join(home(), 'config.yaml'), { force: true });
    }
    const flag = await scan(crate, '--vuln-severity-source', 'ghsa,ghsa');
    expect(flag.stderr).toBe('bulkhead: --vuln-severity-source: "ghsa" is given twice\n');
  });
});
