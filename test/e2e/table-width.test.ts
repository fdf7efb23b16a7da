/**
 * Every table (and help text) fits the width: $COLUMNS 80 and 120, real corpus inputs, through the built CLI. The
 * longest line is measured in characters; `--wide` lifts the limit.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';
import { writeNpmSbom } from './npm-sbom.js';

let dir: string;
const home = () => join(dir, 'home');
const longest = (text: string) => Math.max(0, ...text.split('\n').map((l) => [...l].length));
/** The widest line itself, for the failure message. */
const widest = (text: string) => {
  const lines = text.split('\n');
  const sizes = lines.map((l) => [...l].length);
  return JSON.stringify(lines[sizes.indexOf(Math.max(0, ...sizes))] ?? '');
};

const REAL_WORLD = () => corpusPath('manifests', 'real-world');
const K8S_AUDIT = () => corpusPath('runtime', 'falco-k8saudit', 'test', 'trace_files', 'k8s_audit');

/** The commands whose tables are measured: [name, arguments]. */
function commands(): [string, string[]][] {
  const traces = readdirSync(K8S_AUDIT())
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(K8S_AUDIT(), f));
  return [
    ['k8s scan', ['k8s', 'scan', REAL_WORLD(), '--no-store']],
    ['k8s scan --standard all', ['k8s', 'scan', REAL_WORLD(), '--standard', 'all', '--no-store']],
    ['k8s scan --summary', ['k8s', 'scan', REAL_WORLD(), '--summary', '--no-store']],
    ['admission audit', ['admission', 'audit', REAL_WORLD(), '--no-store']],
    ['image scan', ['image', 'scan', `sbom:${join(dir, 'app.cdx.json')}`, '--no-store']],
    ['db status', ['db', 'status']],
    ['runtime detect', ['runtime', 'detect', '--source', 'k8s-audit', ...traces, '--no-store']],
    [
      'sbom',
      ['sbom', `dir:${corpusPath('images/peer-cases/trivy/integration/testdata/fixtures/repo/gomod')}`],
    ],
    ['bench docker', ['bench', 'docker', '--no-store']],
    ['store status', ['store', 'status']],
    ['scans list', ['scans', 'list']],
    ['scans show (image)', ['scans', 'show', '1']],
    ['scans show (bench docker)', ['scans', 'show', '3']],
    ['scans diff', ['scans', 'diff', '1', '2']],
    ['image scan --help', ['image', 'scan', '--help']],
    ['k8s scan --help', ['k8s', 'scan', '--help']],
    ['help', ['--help']],
  ];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-width-'));
  const nswg = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
  const imported = await runBuiltCli(['--home', home(), 'db', 'import', nswg, '--quiet']);
  expect(imported.code, imported.stderr).toBe(0);
  const sbom = (file: string, components: string[][]) => writeNpmSbom(join(dir, file), components);
  sbom('app.cdx.json', [
    ['lodash', '4.17.4'],
    ['minimist', '0.0.8'],
    ['handlebars', '4.0.5'],
    ['moment', '2.15.0'],
  ]);
  sbom('app-2.cdx.json', [
    ['lodash', '4.17.4'],
    ['minimist', '1.2.6'],
    ['handlebars', '4.0.5'],
    ['marked', '0.3.5'],
  ]);
  // stored scans for the scans commands: 1 and 2 of the two SBOMs, 3 of this host's Docker engine
  for (const args of [
    ['image', 'scan', `sbom:${join(dir, 'app.cdx.json')}`],
    ['image', 'scan', `sbom:${join(dir, 'app-2.cdx.json')}`],
    ['bench', 'docker'],
  ]) {
    const stored = await runBuiltCli(['--home', home(), '--quiet', ...args]);
    expect(stored.code, stored.stderr).toBeLessThanOrEqual(1);
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tables fit $COLUMNS', () => {
  it('every table of every command fits 80 and 120 columns on corpus inputs', async () => {
    const widths: Record<string, number> = {};
    for (const [name, args] of commands())
      for (const columns of [80, 120]) {
        const run = await runBuiltCli(['--home', home(), ...args], { env: { COLUMNS: String(columns) } });
        expect(run.code, `${name}: ${run.stderr}`).toBeLessThanOrEqual(1);
        expect(run.stdout.split('\n').length, name).toBeGreaterThan(3);
        widths[`${name} @${columns}`] = longest(run.stdout);
        expect(
          longest(run.stdout),
          `${name} at COLUMNS=${columns}: ${widest(run.stdout)}`,
        ).toBeLessThanOrEqual(columns);
      }
    // the tables use the room they are given: at 120 something is wider than 80
    expect(
      Math.max(
        ...Object.entries(widths)
          .filter(([k]) => k.endsWith('@120'))
          .map(([, v]) => v),
      ),
    ).toBeGreaterThan(80);
  }, 600_000);

  it('--wide shows values in full (past the width), failing rows say why and what to do', async () => {
    const run = await runBuiltCli(['--home', home(), '--wide', 'k8s', 'scan', REAL_WORLD(), '--no-store'], {
      env: { COLUMNS: '80' },
    });
    expect(run.code).toBe(0);
    expect(longest(run.stdout)).toBeGreaterThan(80);
    expect(run.stdout).toMatch(/\n {4}why: .+\n {4}fix: /);
    // the summary per control comes ahead of the detail
    expect(run.stdout.indexOf('FAILED RESOURCES')).toBeLessThan(run.stdout.indexOf('why:'));
  }, 120_000);

  it('an unsupported --format fails before any input is read', async () => {
    const run = await runBuiltCli([
      '--home',
      home(),
      '--format',
      'cyclonedx',
      'k8s',
      'scan',
      '/does/not/exist',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'bulkhead: --format: "cyclonedx" is not available here (use table, json, sarif, junit)\n',
    );
  });
});
