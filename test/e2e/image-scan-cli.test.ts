/** `bulkhead image scan sbom:PATH` through the built CLI: gates, ignore file, VEX, formats, input errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

let dir: string;
let sbom: string;
const home = () => join(dir, 'home');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-scan-cli-'));
  const nswg = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
  const imported = await runBuiltCli(['--home', home(), 'db', 'import', nswg, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
  sbom = join(dir, 'app.cdx.json');
  writeFileSync(
    sbom,
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      components: [
        { 'bom-ref': 'a', type: 'library', name: 'lodash', version: '4.17.4', purl: 'pkg:npm/lodash@4.17.4' },
        { 'bom-ref': 'b', type: 'library', name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3' },
      ],
    }),
  );
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const scan = (args: string[], cwd?: string) =>
  runBuiltCli(['--home', home(), 'image', 'scan', `sbom:${sbom}`, ...args], cwd ? { cwd } : {});

describe('bulkhead image scan (SBOM input)', () => {
  it('reports the advisories findings as JSON and gates with --exit-code', async () => {
    const run = await scan(['--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.vulnerabilities.map((v: { id: string }) => v.id).sort()).toEqual([
      'CVE-2018-16487',
      'CVE-2018-3721',
    ]);
    expect(doc.healthy).toBe(false);
    expect((await scan(['--exit-code', '1', '--format', 'json'])).code).toBe(1);
    expect((await scan(['--exit-code', '4', '--format', 'json'])).code).toBe(4);
    const critical = await scan(['--exit-code', '1', '--severity', 'CRITICAL', '--format', 'json']);
    expect(critical.code).toBe(0);
    expect(JSON.parse(critical.stdout)).toMatchObject({ healthy: true, vulnerabilities: [] });
  });

  it('--pkg-types keeps findings of the package classes asked for (os, library)', async () => {
    const ids = async (types: string) => {
      const run = await scan(['--format', 'json', '--pkg-types', types]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).vulnerabilities.map((v: { id: string }) => v.id);
    };
    expect(await ids('library')).toHaveLength(2); // npm packages are libraries
    expect(await ids('os')).toEqual([]);
    expect(await ids('os,library')).toHaveLength(2);
    const bad = await scan(['--pkg-types', 'binaries']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('bulkhead: --pkg-types: "binaries" is not one of os, library\n');
  });

  it('--ignore-status leaves out findings with the statuses named', async () => {
    const count = async (...flags: string[]) =>
      JSON.parse((await scan(['--format', 'json', '--no-store', ...flags])).stdout).vulnerabilities.length;
    expect(await count()).toBe(2);
    expect(await count('--ignore-status', 'fixed')).toBe(0); // both lodash findings have a fix
    expect(await count('--ignore-status', 'will_not_fix,end_of_life')).toBe(2);
    const bad = await scan(['--ignore-status', 'wontfix']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ignore-status: "wontfix" is not one of fixed, affected/);
  });

  it('--exit-on-eol gates on an end-of-life OS, healthy findings or not', async () => {
    const eol = join(dir, 'buster.cdx.json');
    writeFileSync(
      eol,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        components: [
          { 'bom-ref': 'os', type: 'operating-system', name: 'debian', version: '10.13' },
          {
            'bom-ref': 'b',
            type: 'library',
            name: 'bash',
            version: '5.0-4',
            purl: 'pkg:deb/debian/bash@5.0-4?distro=debian-10.13',
          },
        ],
      }),
    );
    const run = (...flags: string[]) =>
      runBuiltCli(['--home', home(), 'image', 'scan', `sbom:${eol}`, '--no-store', ...flags]);
    const gated = await run('--exit-on-eol', '5');
    expect(gated.code, gated.stderr).toBe(5);
    expect(gated.stderr).toMatch(/debian 10 is end of life/);
    expect((await run()).code).toBe(0);
    expect((await scan(['--exit-on-eol', '5', '--no-store'])).code).toBe(0); // no OS: nothing to gate
    expect((await run('--exit-on-eol', 'x')).code).toBe(2);
  });

  it('ignore file: active entries suppress, expired ones are reported and no longer suppress; .bulkheadignore is the default', async () => {
    const yaml = `ignore:
  - id: CVE-2018-16487
    reason: not reachable from our code
    expires: 2999-12-31
  - id: CVE-2018-3721
    package: lodash
    reason: waiting for the upstream release
    expires: 2020-01-01
`;
    writeFileSync(join(dir, '.bulkheadignore'), yaml);
    const run = await scan(['--format', 'json', '--exit-code', '1'], dir);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(['CVE-2018-3721']);
    expect(doc.suppressed).toEqual([
      expect.objectContaining({
        id: 'CVE-2018-16487',
        by: 'ignore-file',
        reason: 'not reachable from our code',
      }),
    ]);
    expect(doc.expiredExceptions).toEqual([
      { id: 'CVE-2018-3721', reason: 'waiting for the upstream release', expires: '2020-01-01' },
    ]);
    expect(run.stderr).toContain('CVE-2018-3721 expired on 2020-01-01');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'ignore:\n  - id: CVE-1\n');
    const bad = await scan(['--ignore-file', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('broken.yaml');
  });

  it('VEX: not_affected statements suppress with their justification', async () => {
    const vex = join(dir, 'app.openvex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2018-3721' },
            products: [{ '@id': 'pkg:npm/lodash@4.17.4' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_present',
          },
        ],
      }),
    );
    const run = await scan(['--vex', vex, '--format', 'json']);
    const doc = JSON.parse(run.stdout);
    expect(doc.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(['CVE-2018-16487']);
    expect(doc.suppressed[0]).toMatchObject({
      id: 'CVE-2018-3721',
      by: 'vex',
      justification: 'vulnerable_code_not_present',
    });
  });

  it('VEX repository (--vex repo:DIR): the document the index names for a package suppresses', async () => {
    const repo = join(dir, 'vex-repo');
    mkdirSync(join(repo, '0.1'), { recursive: true });
    writeFileSync(
      join(repo, 'vex-repository.json'),
      JSON.stringify({ name: 'local', versions: [{ spec_version: '0.1', locations: [{ url: 'unused' }] }] }),
    );
    writeFileSync(
      join(repo, '0.1', 'index.json'),
      JSON.stringify({ version: 1, packages: [{ id: 'pkg:npm/lodash', location: './lodash.openvex.json' }] }),
    );
    writeFileSync(
      join(repo, '0.1', 'lodash.openvex.json'),
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2018-16487' },
            products: [{ '@id': 'pkg:npm/lodash' }],
            status: 'not_affected',
            justification: 'inline_mitigations_already_exist',
          },
        ],
      }),
    );
    const run = await scan(['--vex', `repo:${repo}`, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(['CVE-2018-3721']);
    expect(doc.suppressed[0]).toMatchObject({ id: 'CVE-2018-16487', by: 'vex' });
    const bad = await scan(['--vex', `repo:${join(dir, 'no-such-repo')}`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('no-such-repo');
  });

  it('table, SARIF and CycloneDX formats; bad input is one line and exit 2', async () => {
    const table = await scan([]);
    expect(table.stdout).toContain('lodash@4.17.4 (npm): upgrade → 4.17.11 closes 2 of 2');
    expect(table.stdout).toMatch(
      /2 vulnerabilities in 2 packages \(CRITICAL 0, HIGH 1, MEDIUM 0, LOW 1, UNKNOWN 0\)/,
    );
    const sarif = JSON.parse((await scan(['--format', 'sarif'])).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(2);
    const cdx = JSON.parse((await scan(['--format', 'cyclonedx'])).stdout);
    expect(cdx.vulnerabilities.map((v: { id: string }) => v.id).sort()).toEqual([
      'CVE-2018-16487',
      'CVE-2018-3721',
    ]);
    for (const args of [
      ['--severity', 'SEVERE'],
      ['--exit-code', 'x'],
    ]) {
      const run = await scan(args);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    const empty = await runBuiltCli([
      '--home',
      join(dir, 'empty-home'),
      'image',
      'scan',
      `sbom:${sbom}`,
      '--format',
      'json',
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('bulkhead: no advisory data: run `bulkhead db update` or `db import`\n');
    expect(empty.stdout).toBe('');
    const notSbom = join(dir, 'not-sbom.json');
    writeFileSync(notSbom, '{"hello": "world"}');
    const run = await runBuiltCli(['--home', home(), 'image', 'scan', `sbom:${notSbom}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not-sbom.json');
  });
});
