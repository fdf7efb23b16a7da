/**
 * `--detection-priority` through the built CLI: grype's Alpine fixture (an npm package an apk subpackage installed)
 * for `sbom`, and an Alpine root file system whose apk database owns an old lodash for `image scan`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

let dir: string;
const home = () => join(dir, 'home');
const rootfs = () => join(dir, 'rootfs');
const alpineFixture = corpusPath('images/grype/test/integration/testdata/image-alpine-match-coverage');

// lib/apk/db/installed as apk writes it: the nodejs-lodash package owns the module's files
const APK_INSTALLED = `C:Q1mc0Y9P0d6uSvwTpdpZi7hZC0Tus=
P:nodejs-lodash
V:4.17.4-r0
A:x86_64
S:96512
I:540672
T:Lodash modular utilities
U:https://lodash.com/
L:MIT
o:nodejs-lodash
t:1572818861
F:usr
F:usr/lib
F:usr/lib/node_modules
F:usr/lib/node_modules/lodash
R:package.json
a:0:0:644
Z:Q1vv3rZ6n0pGQ0mvDgPXlxyMBe+Qw=
R:lodash.js
a:0:0:644
Z:Q1Lw6Y1bAKtxGlxS7qVZpPAxgtnlM=

`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-detection-priority-'));
  const files: Record<string, string> = {
    'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.12.0\n',
    'lib/apk/db/installed': APK_INSTALLED,
    'usr/lib/node_modules/lodash/package.json': '{"name":"lodash","version":"4.17.4","license":"MIT"}',
    'usr/lib/node_modules/lodash/lodash.js': 'module.exports = {};\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(rootfs(), path)), { recursive: true });
    writeFileSync(join(rootfs(), path), text);
  }
  const nswg = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
  const imported = await runBuiltCli(['--home', home(), 'db', 'import', nswg, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const npmNames = (doc: { packages: { type: string; name: string }[] }) =>
  doc.packages.filter((p) => p.type === 'npm').map((p) => p.name);

describe('bulkhead sbom --detection-priority', () => {
  const sbom = (...extra: string[]) =>
    runBuiltCli(['--home', home(), 'sbom', `dir:${alpineFixture}`, '--format', 'json', '--quiet', ...extra]);

  it('leaves out the npm package the apk installed by default, and lists it with comprehensive', async () => {
    const precise = await sbom();
    expect(precise.code, precise.stderr).toBe(0);
    const doc = JSON.parse(precise.stdout);
    expect(doc.detectionPriority).toBe('precise');
    expect(npmNames(doc)).toEqual([]);
    const comprehensive = await sbom('--detection-priority', 'comprehensive');
    expect(comprehensive.code, comprehensive.stderr).toBe(0);
    const all = JSON.parse(comprehensive.stdout);
    expect(all.detectionPriority).toBe('comprehensive');
    expect(npmNames(all)).toEqual(['npm-apk-subpackage-with-false-positive']);
    // without --quiet, what precise left out is said on stderr
    const said = await runBuiltCli(['--home', home(), 'sbom', `dir:${alpineFixture}`, '--format', 'json']);
    expect(said.stderr).toContain(
      '1 language package installed by OS packages left out (--detection-priority comprehensive lists it)',
    );
  });

  it('takes detectionPriority from config.yaml, and names a bad value in one line (exit 2)', async () => {
    const configured = join(dir, 'configured');
    mkdirSync(configured, { recursive: true });
    writeFileSync(join(configured, 'config.yaml'), 'detectionPriority: comprehensive\n');
    const run = await runBuiltCli([
      '--home',
      configured,
      'sbom',
      `dir:${alpineFixture}`,
      '--format',
      'json',
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(npmNames(JSON.parse(run.stdout))).toEqual(['npm-apk-subpackage-with-false-positive']);
    const bad = await sbom('--detection-priority', 'everything');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'bulkhead: --detection-priority: "everything" is not one of precise, comprehensive\n',
    );
  });
});

describe('bulkhead image scan --detection-priority', () => {
  const scan = (...extra: string[]) =>
    runBuiltCli([
      '--home',
      home(),
      'image',
      'scan',
      `dir:${rootfs()}`,
      '--format',
      'json',
      '--no-store',
      '--quiet',
      ...extra,
    ]);
  const lodashIds = (doc: { vulnerabilities: { id: string; package: { type: string } }[] }) =>
    doc.vulnerabilities
      .filter((v) => v.package.type === 'npm')
      .map((v) => v.id)
      .sort();

  it('matches the apk-installed lodash against npm advisories only when comprehensive', async () => {
    const precise = await scan();
    expect(precise.code, precise.stderr).toBe(0);
    const doc = JSON.parse(precise.stdout);
    expect(doc.detectionPriority).toBe('precise');
    expect(lodashIds(doc)).toEqual([]);
    const comprehensive = await scan('--detection-priority', 'comprehensive');
    expect(comprehensive.code, comprehensive.stderr).toBe(0);
    const all = JSON.parse(comprehensive.stdout);
    expect(all.detectionPriority).toBe('comprehensive');
    expect(lodashIds(all)).toEqual(['CVE-2018-16487', 'CVE-2018-3721']);
  });
});
