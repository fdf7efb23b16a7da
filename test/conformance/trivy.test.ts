import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { trivy } from './suites/trivy.js';
import { runSuite } from './summarize.js';
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
    // every case left out says why
    for (const c of summary.cases.filter((x) => x.verdict === 'not-implemented'))
      expect(c.detail).toBeTruthy();
  });

  it('runs from any directory: its own goldens first, the corpus copy for what is absent; a difference fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-trivy-cases-'));
    dirs.push(dir);
    const all = JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8'));
    const pick = all.cases.filter((c: { name: string }) => c.name === 'npm' || c.name === 'pnpm');
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases: pick }));
    // a golden of this directory where the peer said CRITICAL instead of the fixture DB's severity
    const golden = JSON.parse(readFileSync(join(CORPUS_DIR, 'integration/testdata/npm.json.golden'), 'utf8'));
    golden.Results[0].Vulnerabilities[0].Severity = 'CRITICAL';
    mkdirSync(join(dir, 'integration/testdata'), { recursive: true });
    writeFileSync(join(dir, 'integration/testdata/npm.json.golden'), JSON.stringify(golden));
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
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 0 not implemented');
    expect(lines.find((l) => l.startsWith('FAIL'))).toMatch(
      /TestRepository: npm .*missing .* CRITICAL fixed/,
    );
  });
});
