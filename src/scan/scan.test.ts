import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, toSarif } from '../core/render/index.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { writeRecords } from '../vulndb/store.js';
import { coverageWarnings } from './coverage.js';
import { parseIgnoreFile } from './ignore-file.js';
import { scanCycloneDx, scanReport, scanSarif } from './report.js';
import { scanPackages } from './scan.js';
import { deb, fixedBelow, npmPkg, record, vendor } from './test-support.js';
import type { ScanInput } from './types.js';
import { parseVex } from './vex.js';

const DEBIAN_10 = { family: 'debian', version: '10', fullVersion: '10.1' };
const NOW = new Date('2026-01-15T00:00:00Z');

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  store = await database.open();
  await writeRecords(
    store.db,
    [
      // source-package match with the distro scheme; Debian's own urgency beats NVD
      record(
        'debian-tracker',
        'CVE-2022-0778',
        {
          namespace: 'deb/debian/10',
          package: 'openssl',
          ranges: fixedBelow('1.1.1n-0+deb10u1'),
          fixedVersion: '1.1.1n-0+deb10u1',
          severity: [vendor('debian', 'high', 'HIGH')],
        },
        { severity: [vendor('nvd', 'MEDIUM', 'MEDIUM')] },
      ),
      // a DSA naming two CVEs: one finding per CVE, the DSA kept as alias
      record(
        'debian-dsa',
        'DSA-5000-1',
        { namespace: 'deb/debian/10', package: 'openssl', ranges: fixedBelow('1.1.1k-1+deb10u1') },
        { aliases: ['CVE-2021-3711', 'CVE-2021-3712'] },
      ),
      record('debian-tracker', 'CVE-2021-9999', {
        namespace: 'deb/debian/10',
        package: 'openssl',
        state: 'will_not_fix',
        reason: 'minor issue',
      }),
      record('debian-tracker', 'CVE-2020-0001', {
        namespace: 'deb/debian/10',
        package: 'openssl',
        state: 'not_affected',
        reason: 'vulnerable code not present',
      }),
      record('other', 'CVE-2020-0001', {
        namespace: 'deb/debian/10',
        package: 'openssl',
        ranges: fixedBelow('9'),
      }),
      record(
        'debian-tracker',
        'CVE-2019-0002',
        { namespace: 'deb/debian/10', package: 'openssl', ranges: fixedBelow('1.1.1g-1') },
        {},
      ),
      record('debian-tracker', 'CVE-2019-0003', {
        namespace: 'deb/debian/10',
        package: 'openssl',
        state: 'withdrawn',
      }),
      // already fixed in the installed version
      record('debian-tracker', 'CVE-2018-0001', {
        namespace: 'deb/debian/10',
        package: 'openssl',
        ranges: fixedBelow('1.1.1a-1'),
      }),
      // affected again after an old fix: no fixed version to offer
      record('debian-tracker', 'CVE-2017-0001', {
        namespace: 'deb/debian/10',
        package: 'bash',
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.0-1' }, { introduced: '5.0-1' }] },
        ],
        fixedVersion: '4.0-1',
      }),
      // npm by requirements (GHSA severity before NVD's CVSS)
      record(
        'nodejs-security-wg',
        'NSWG-1',
        {
          namespace: 'npm',
          package: 'lodash',
          ranges: [{ type: 'REQUIREMENTS', affected: '<4.17.12', unaffected: ['>=4.17.12'] }],
          fixedVersion: '4.17.12',
        },
        {
          aliases: ['CVE-2019-10744'],
          severity: [
            {
              source: 'nvd',
              type: 'CVSS_V3',
              value: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H',
              score: 9.1,
              severity: 'CRITICAL',
            },
            vendor('ghsa', 'high', 'HIGH'),
          ],
        },
      ),
    ],
    'test',
  );
});

afterAll(async () => {
  await store.close();
  await database.dispose();
});

const image: ScanInput = {
  target: 'docker-archive:app.tar',
  digest: 'sha256:abc',
  repoTags: ['registry.local/team/app:1.0'],
  os: DEBIAN_10,
  packages: [
    deb('libssl1.1', '1.1.1d-0+deb10u2', 'openssl', '1.1.1d-0+deb10u2'),
    deb('openssl', '1.1.1d-0+deb10u2', 'openssl', '1.1.1d-0+deb10u2'),
    deb('bash', '5.0-4'),
    npmPkg('lodash', '4.17.11'),
  ],
};

describe('matching', () => {
  it('matches binary packages through their source package and reports each binary package', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const ssl = r.vulnerabilities.filter((f) => f.id === 'CVE-2022-0778');
    expect(ssl.map((f) => f.package.name).sort()).toEqual(['libssl1.1', 'openssl']);
    const lib = ssl.find((f) => f.package.name === 'libssl1.1')!;
    expect(lib).toMatchObject({
      status: 'fixed',
      fixedVersion: '1.1.1n-0+deb10u1',
      severity: 'HIGH',
      severitySource: 'debian',
      dataSource: { id: 'debian-tracker' },
      layer: 'sha256:base',
      remediation: 'upgrade libssl1.1 1.1.1d-0+deb10u2 → 1.1.1n-0+deb10u1 (source openssl)',
    });
    expect(lib.cvss).toBeUndefined();
  });

  it('splits a DSA into its CVEs, ignores withdrawn and fixed-below rows, honours not_affected', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const ids = new Set(r.vulnerabilities.filter((f) => f.package.name === 'openssl').map((f) => f.id));
    expect(ids).toEqual(
      new Set(['CVE-2022-0778', 'CVE-2021-3711', 'CVE-2021-3712', 'CVE-2021-9999', 'CVE-2019-0002']),
    );
    expect(r.vulnerabilities.find((f) => f.id === 'CVE-2021-3711')?.aliases).toEqual(['DSA-5000-1']);
    expect(r.suppressed.filter((s) => s.by === 'advisory').map((s) => s.id)).toContain('CVE-2020-0001');
  });

  it('keeps unfixed findings with their state and reason unless --ignore-unfixed', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const wnf = r.vulnerabilities.find((f) => f.id === 'CVE-2021-9999')!;
    expect(wnf).toMatchObject({ status: 'will_not_fix', fixedVersion: null, statusReason: 'minor issue' });
    expect(wnf.remediation).toContain('will not fix');
    expect(r.vulnerabilities.find((f) => f.id === 'CVE-2017-0001')).toMatchObject({
      status: 'affected',
      fixedVersion: null,
    });
    const fixedOnly = await scanPackages(store.db, image, { now: NOW, ignoreUnfixed: true });
    expect(fixedOnly.vulnerabilities.some((f) => f.status !== 'fixed')).toBe(false);
    expect(fixedOnly.vulnerabilities.length).toBeGreaterThan(0);
  });

  it('language packages: requirement ranges, GHSA severity before NVD, all CVSS vectors kept', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const lodash = r.vulnerabilities.find((f) => f.package.name === 'lodash')!;
    expect(lodash).toMatchObject({
      id: 'CVE-2019-10744',
      aliases: ['NSWG-1'],
      fixedVersion: '4.17.12',
      severity: 'HIGH',
      severitySource: 'ghsa',
    });
    expect(lodash.cvss).toEqual([
      { source: 'nvd', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', score: 9.1 },
    ]);
    const fixed = await scanPackages(
      store.db,
      { ...image, packages: [npmPkg('lodash', '4.17.12')] },
      { now: NOW },
    );
    expect(fixed.healthy).toBe(true);
  });

  it('sorts by severity then id, groups fix units by source package, flags end-of-life releases', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const order = r.vulnerabilities.map((f) => f.severity);
    expect(order).toEqual(
      [...order].sort(
        (a, b) =>
          ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].indexOf(a) -
          ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].indexOf(b),
      ),
    );
    const unit = r.fixUnits.find((u) => u.package === 'openssl')!;
    expect(unit).toMatchObject({ to: '1.1.1n-0+deb10u1', packages: ['libssl1.1', 'openssl'] });
    expect(unit.closes).toEqual(
      ['CVE-2019-0002', 'CVE-2021-3711', 'CVE-2021-3712', 'CVE-2022-0778'].filter((id) =>
        unit.closes.includes(id),
      ),
    );
    expect(unit.closes).toHaveLength(4);
    expect(r.artifact.os).toEqual({ family: 'debian', version: '10', eol: true, endOfLife: '2024-06-30' });
    expect(r.summary.HIGH).toBe(r.vulnerabilities.filter((f) => f.severity === 'HIGH').length);
  });

  it('filters by severity', async () => {
    const r = await scanPackages(store.db, image, { now: NOW, severities: ['HIGH'] });
    expect(r.vulnerabilities.length).toBeGreaterThan(0);
    expect(r.vulnerabilities.every((f) => f.severity === 'HIGH')).toBe(true);
  });
});

describe('coverage', () => {
  it('warns when the database knows nothing of the release (not the same as no findings)', async () => {
    expect(await coverageWarnings(store.db, image)).toEqual([]);
    const bookworm = { ...image, os: { family: 'debian', version: '12' } };
    expect(await coverageWarnings(store.db, bookworm)).toEqual([
      'no advisory data for namespace deb/debian/12: packages there were not assessed (healthy: null)',
    ]);
    const unknown = { ...image, os: { family: 'gentoo', version: '2.15' } };
    expect((await coverageWarnings(store.db, unknown))[0]).toContain('namespace os/gentoo/2.15');
    expect(
      await coverageWarnings(store.db, { ...bookworm, packages: [npmPkg('lodash', '4.17.11')] }),
    ).toEqual([]);
  });
});

describe('exceptions', () => {
  const ignoreYaml = `
ignore:
  - id: CVE-2022-0778
    package: libssl1.1
    reason: accepted until the base image moves
    expires: 2026-06-30
  - id: CVE-2019-10744
    reason: lodash is not reachable
    by: sec-team
    expires: 2025-12-31
`;
  it('an active entry suppresses only its package; an expired one no longer suppresses and is reported', async () => {
    const ignore = parseIgnoreFile(ignoreYaml, '.bulkheadignore');
    const r = await scanPackages(store.db, image, { now: NOW, ignore });
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2022-0778' && f.package.name === 'libssl1.1')).toBe(
      false,
    );
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2022-0778' && f.package.name === 'openssl')).toBe(
      true,
    );
    expect(r.suppressed).toContainEqual(
      expect.objectContaining({
        id: 'CVE-2022-0778',
        package: 'libssl1.1',
        by: 'ignore-file',
        expires: '2026-06-30',
      }),
    );
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2019-10744')).toBe(true);
    expect(r.expiredExceptions).toEqual([
      { id: 'CVE-2019-10744', reason: 'lodash is not reachable', expires: '2025-12-31' },
    ]);
    // the same file a year later: nothing suppresses any more
    const later = await scanPackages(store.db, image, { now: new Date('2027-01-01T00:00:00Z'), ignore });
    expect(later.suppressed.filter((s) => s.by === 'ignore-file')).toEqual([]);
    expect(later.expiredExceptions.map((e) => e.id).sort()).toEqual(['CVE-2019-10744', 'CVE-2022-0778']);
  });

  it('scopes by purl (any version without one) and by path glob', async () => {
    const ignore = parseIgnoreFile(
      `- id: CVE-2022-0778
  purl: pkg:deb/debian/openssl
  reason: r
- id: CVE-2019-10744
  path: /other/**
  reason: r
- id: NSWG-1
  path: /app/node_modules/**
  reason: by alias and path
`,
      'scoped.yaml',
    );
    const r = await scanPackages(store.db, image, { now: NOW, ignore });
    const left = r.vulnerabilities.filter((f) => f.id === 'CVE-2022-0778').map((f) => f.package.name);
    expect(left).toEqual(['libssl1.1']);
    expect(r.suppressed.find((s) => s.id === 'CVE-2019-10744')?.reason).toBe('by alias and path');
  });

  it('refuses entries without a reason, bad dates and malformed YAML, naming the file', () => {
    expect(() => parseIgnoreFile('ignore:\n  - id: CVE-1\n', 'x.yaml')).toThrow(/x\.yaml.*reason|reason/);
    expect(() =>
      parseIgnoreFile('ignore:\n  - id: CVE-1\n    reason: r\n    expires: someday\n', 'x.yaml'),
    ).toThrow(/expiry|expires/);
    expect(() => parseIgnoreFile('ignore: [\n', 'x.yaml')).toThrow(/YAML/);
  });

  it('OpenVEX not_affected and CycloneDX VEX resolved statements suppress, with the justification shown', async () => {
    const openvex = parseVex(
      {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2019-10744' },
            products: [{ '@id': 'pkg:oci/app', subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.11' }] }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
          {
            vulnerability: { name: 'CVE-2021-3711' },
            products: [{ '@id': 'pkg:npm/other@1.0.0' }],
            status: 'not_affected',
          },
        ],
      },
      'app.openvex.json',
    );
    const cdx = parseVex(
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [
          { 'bom-ref': 'ssl', purl: 'pkg:deb/debian/openssl@1.1.1d-0+deb10u2?distro=debian-10.1' },
        ],
        vulnerabilities: [
          {
            id: 'CVE-2021-3712',
            analysis: { state: 'resolved', detail: 'patched in our build' },
            affects: [{ ref: 'ssl' }],
          },
          { id: 'CVE-2021-3711', analysis: { state: 'exploitable' }, affects: [{ ref: 'ssl' }] },
        ],
      },
      'app.cdx.json',
    );
    const r = await scanPackages(store.db, image, { now: NOW, vex: [...openvex, ...cdx] });
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2019-10744')).toBe(false);
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2021-3712' && f.package.name === 'openssl')).toBe(
      false,
    );
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2021-3712' && f.package.name === 'libssl1.1')).toBe(
      true,
    );
    expect(r.vulnerabilities.some((f) => f.id === 'CVE-2021-3711' && f.package.name === 'openssl')).toBe(
      true,
    );
    expect(r.suppressed).toContainEqual(
      expect.objectContaining({
        id: 'CVE-2019-10744',
        by: 'vex',
        justification: 'vulnerable_code_not_in_execute_path',
      }),
    );
    expect(r.suppressed).toContainEqual(
      expect.objectContaining({
        id: 'CVE-2021-3712',
        package: 'openssl',
        justification: 'patched in our build',
      }),
    );
  });
  it('an OpenVEX product with subcomponents suppresses only in the artifact it names', async () => {
    const statement = (product: string, subcomponents: string[] = ['pkg:npm/lodash@4.17.11']) =>
      parseVex(
        {
          '@context': 'https://openvex.dev/ns/v0.2.0',
          statements: [
            {
              vulnerability: { name: 'CVE-2019-10744' },
              products: [{ '@id': product, subcomponents: subcomponents.map((id) => ({ '@id': id })) }],
              status: 'not_affected',
              justification: 'vulnerable_code_not_present',
            },
          ],
        },
        'vex.json',
      );
    const suppressed = async (vex: ReturnType<typeof parseVex>, input: ScanInput = image) =>
      !(await scanPackages(store.db, input, { now: NOW, vex })).vulnerabilities.some(
        (f) => f.id === 'CVE-2019-10744',
      );
    // the image by name, by name and repository, by digest; the whole image when no subcomponent is listed
    expect(await suppressed(statement('pkg:oci/app'))).toBe(true);
    expect(await suppressed(statement('pkg:oci/app?repository_url=registry.local/team/app'))).toBe(true);
    expect(await suppressed(statement('pkg:oci/app@sha256%3Aabc'))).toBe(true);
    expect(await suppressed(statement('pkg:oci/app', []))).toBe(true);
    // another image, another repository of the same name, another digest: the finding stays
    expect(await suppressed(statement('pkg:oci/other'))).toBe(false);
    expect(await suppressed(statement('pkg:oci/app?repository_url=registry.local/other/app'))).toBe(false);
    expect(await suppressed(statement('pkg:oci/app@sha256%3Adef'))).toBe(false);
    expect(await suppressed(statement('pkg:oci/other', []))).toBe(false);
    // the right product, but another package as subcomponent
    expect(await suppressed(statement('pkg:oci/app', ['pkg:npm/underscore']))).toBe(false);
    // an intermediate package as product cannot be checked without a dependency graph: not taken
    expect(await suppressed(statement('pkg:npm/express@4.17.1'))).toBe(false);
    // an image scanned without a name is matched by digest only
    const unnamed: ScanInput = { ...image, repoTags: [] };
    expect(await suppressed(statement('pkg:oci/app'), unnamed)).toBe(false);
    expect(await suppressed(statement('pkg:oci/app@sha256%3Aabc'), unnamed)).toBe(true);
  });
});

/** The SARIF 2.1.0 (rtm.5) JSON schema as published with Microsoft's SARIF tooling (draft-04). */
function sarifValidator() {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile({ ...schema, $id: id });
}

describe('reports', () => {
  it('SARIF is valid against the SARIF 2.1.0 schema: one rule per vulnerability, one result per finding', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const log = toSarif(scanSarif(r)) as {
      runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[];
    };
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0]!.results).toHaveLength(r.vulnerabilities.length);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(new Set(r.vulnerabilities.map((f) => f.id)).size);
    // the validator does catch a broken log
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('CycloneDX output with vulnerabilities is valid CycloneDX 1.6', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const bom = scanCycloneDx(r, image.packages);
    expect(
      await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom)),
    ).toBeNull();
    expect(bom.vulnerabilities.find((v) => v.id === 'CVE-2022-0778')?.affects).toHaveLength(2);
  });

  it('JSON follows the ImageScan contract; the table groups by package with the fix that closes most', async () => {
    const r = await scanPackages(store.db, image, { now: NOW });
    const report = scanReport(r, image.packages);
    const doc = JSON.parse(renderReport(report, 'json', { color: false }));
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'ImageScan', target: image.target, healthy: false });
    expect(Object.keys(doc.summary)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
    for (const v of doc.vulnerabilities) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining([
          'id',
          'aliases',
          'package',
          'fixedVersion',
          'status',
          'severity',
          'severitySource',
          'remediation',
          'dataSource',
        ]),
      );
    }
    const table = renderReport(report, 'table', { color: false });
    expect(table).toContain('libssl1.1@1.1.1d-0+deb10u2 (deb): upgrade → 1.1.1n-0+deb10u1 closes 4 of 5');
    expect(table).toContain('END OF LIFE');
    expect(table).toMatch(/\d+ vulnerabilities in 4 packages \(CRITICAL 0, HIGH \d+/);
    expect(renderReport(report, 'table', { color: true })).toContain('\u001b[');
  });
});
