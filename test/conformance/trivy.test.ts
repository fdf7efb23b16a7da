import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { detectionPriorityOf, trivy } from './suites/trivy.js';
import { reasonsLine, runSuite } from './summarize.js';
import type { SuiteSummary } from './types.js';

const CORPUS_DIR = corpusPath('images', 'peer-cases', 'trivy');
const run = promisify(execFile);

/** The cases Bulkhead agrees with Trivy on (set of id, package, installed, fixed, severity, status). */
const AGREED = [
  'TestTar: debian buster/10',
  'TestTar: debian buster/10 with --ignore-unfixed option',
  'TestTar: ubuntu 18.04 with --ignore-unfixed option',
  'TestTar: centos 7',
  'TestTar: centos 7 with medium severity',
  'TestTar: centos 6',
  'TestTar: ubi 7',
  'TestTar: opensuse leap 15.1',
  'TestTar: photon 3.0',
  'TestTar: fluentd with RubyGems',
  'TestTarWithEnv: debian buster/10 with --ignore-unfixed option',
  'TestTarWithConfigFile: debian buster/10 with --ignore-unfixed option',
  'TestRepository: npm',
  'TestRepository: npm with dev deps',
  'TestRepository: yarn',
  'TestRepository: pnpm',
  'TestRepository: bun',
  'TestRepository: pipenv',
  'TestRepository: uv',
  'TestRepository: pylock',
  'TestRepository: packages-props',
  'TestRepository: composer.lock',
  'TestRepository: cargo.lock',
  'TestRepository: installed.json',
  'TestSBOM: scan SBOM into SBOM',
  'TestSBOMEquivalence: centos7 cyclonedx',
  'TestSBOMEquivalence: centos7 spdx tag-value',
  'TestSBOMEquivalence: centos7 spdx json',
  'TestSBOMEquivalence: centos7 in in-toto attestation',
  'TestRepository: gomod with skip files',
  'TestRepository: gomod with skip dirs',
  'TestRepository: gomod with local VEX file',
  'TestRepository: pom',
  'TestRepository: gradle',
  'TestRepository: pom.xml generating CycloneDX SBOM (with vulnerabilities)',
  'TestRepositoryWithOverride: gomod with fs subcommand',
  'TestRepository: gomod with VEX repository',
  'TestRepository: swift',
  'TestRepository: mix.lock',
  'TestRepository: conda generating CycloneDX SBOM',
  'TestRepository: conda environment.yaml generating CycloneDX SBOM',
  'TestRepository: julia generating SPDX SBOM',
  'TestSBOM: minikube KBOM',
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('Trivy peer cases', () => {
  let summary: SuiteSummary;
  it('agrees with every visible case whose inputs are present, and fails none', async () => {
    summary = await runSuite(trivy, CORPUS_DIR);
    const passed = summary.cases.filter((c) => c.verdict === 'passed').map((c) => c.id);
    expect(summary.cases.filter((c) => c.verdict === 'failed')).toEqual([]);
    expect(passed.sort()).toEqual([...AGREED].sort());
    expect(summary.cases).toHaveLength(57);
    // what is left out are image cases whose test images are not in the corpus, and each says why
    const left = summary.cases.filter((x) => x.verdict === 'not-implemented');
    expect(left).toHaveLength(14);
    for (const c of left) {
      expect(c.id).toMatch(/^TestTar/);
      expect(c.detail).toMatch(/not in the corpus|held out/);
      expect(['image-absent', 'held-out']).toContain(c.reason);
    }
    expect(reasonsLine(summary)).toBe('n/i by reason: held-out 2, image-absent 12');
  });

  it('a result type no Bulkhead cataloger gives is not implemented with the no-cataloger code, counted by code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-trivy-cases-'));
    dirs.push(dir);
    const all = JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8'));
    const cargo = all.cases.find((c: { name: string }) => c.name === 'cargo.lock');
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases: [cargo] }));
    // the same case as if its golden came from Trivy's cargo-auditable binary analyzer (result type rust-binary)
    const golden = JSON.parse(readFileSync(join(CORPUS_DIR, cargo.golden), 'utf8'));
    golden.Results[0].Type = 'rust-binary';
    mkdirSync(join(dir, 'integration/testdata'), { recursive: true });
    writeFileSync(join(dir, cargo.golden), JSON.stringify(golden));
    const s = await runSuite(trivy, dir);
    expect(s.cases.map((c) => [c.verdict, c.reason])).toEqual([['not-implemented', 'no-cataloger']]);
    expect(s.cases[0]!.detail).toContain('rust-binary');
    expect(reasonsLine(s)).toBe('n/i by reason: no-cataloger 1');
  });

  it('runs from any directory: its own goldens first, the corpus copy for what is absent; a difference fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-trivy-cases-'));
    dirs.push(dir);
    const all = JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8'));
    const pick = all.cases.filter((c: { name: string }) =>
      ['npm', 'pnpm', 'julia generating SPDX SBOM', 'gomod with VEX repository'].includes(c.name),
    );
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases: pick }));
    // a golden of this directory where the peer said CRITICAL instead of the fixture DB's severity
    const golden = JSON.parse(readFileSync(join(CORPUS_DIR, 'integration/testdata/npm.json.golden'), 'utf8'));
    golden.Results[0].Vulnerabilities[0].Severity = 'CRITICAL';
    mkdirSync(join(dir, 'integration/testdata'), { recursive: true });
    writeFileSync(join(dir, 'integration/testdata/npm.json.golden'), JSON.stringify(golden));
    // an SBOM golden of this directory that lists a package the input does not have
    const spdx = JSON.parse(
      readFileSync(join(CORPUS_DIR, 'integration/testdata/julia-spdx.json.golden'), 'utf8'),
    );
    const a = spdx.packages.find((p: { name: string }) => p.name === 'A');
    a.externalRefs[0].referenceLocator = a.externalRefs[0].referenceLocator.replace('@1.9.0', '@1.9.1');
    writeFileSync(join(dir, 'integration/testdata/julia-spdx.json.golden'), JSON.stringify(spdx));
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'test/conformance/run.ts',
      '--suite',
      'trivy',
      '--dir',
      dir,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 2 failed, 0 not implemented');
    const failed = lines.filter((l) => l.startsWith('FAIL'));
    expect(failed[0]).toMatch(/TestRepository: npm .*missing .* CRITICAL fixed/);
    expect(failed[1]).toMatch(
      /julia generating SPDX SBOM .*missing pkg:julia\/A@1\.9\.1\?uuid=.*; extra pkg:julia\/A@1\.9\.0\?uuid=/,
    );
    // the VEX repository fixture comes from the corpus copy: the case passes from this directory too
    expect(lines).toContainEqual(expect.stringMatching(/^ok +TestRepository: gomod with VEX repository/));
  });
});

describe("Trivy's detection priority in a case's arguments", () => {
  it("is read as Bulkhead's word, and an unknown one stops the case", () => {
    expect(detectionPriorityOf('ftypes.PriorityComprehensive')).toBe('comprehensive');
    expect(detectionPriorityOf('"precise"')).toBe('precise');
    expect(detectionPriorityOf(undefined)).toBeUndefined();
    expect(() => detectionPriorityOf('ftypes.PriorityThorough')).toThrow(/not one of precise, comprehensive/);
  });
});
