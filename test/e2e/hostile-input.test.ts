import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliRun, runBuiltCli } from './cli-support.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-hostile-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const bulkheadTemps = () => readdirSync(tmpdir()).filter((f) => f.startsWith('bulkhead-archive-'));

/** Exit 2 and exactly one line on stderr, naming `input`. */
function refused(run: CliRun, input: string, what?: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toContain(input);
  if (what) expect(lines[0]).toMatch(what);
}

describe('inputs that are not regular files', () => {
  const fifo = join(root, 'feed.fifo');
  execFileSync('mkfifo', [fifo]);
  const dir = join(root, 'a-dir');
  mkdirSync(dir);

  it.each([
    ['db import', ['db', 'import', fifo]],
    ['image scan sbom:', ['image', 'scan', `sbom:${fifo}`]],
    ['sbom of an archive', ['sbom', `docker-archive:${fifo}`]],
    ['k8s scan', ['k8s', 'scan', fifo]],
    ['runtime detect', ['runtime', 'detect', '--source', 'auditd', fifo]],
  ])('a FIFO given to %s is refused at once, naming it', async (_name, args) => {
    const run = await runBuiltCli(['--home', home, ...args]);
    refused(run, fifo, /FIFO/);
  });

  it.each([
    ['image scan sbom:', ['image', 'scan', `sbom:${dir}`]],
    ['runtime detect', ['runtime', 'detect', '--source', 'auditd', dir]],
    ['oci-archive', ['sbom', `oci-archive:${dir}`]],
  ])('a directory given to %s where a file is expected', async (_name, args) => {
    refused(await runBuiltCli(['--home', home, ...args]), dir, /directory/);
  });

  it('missing files name the path, whatever the command', async () => {
    const missing = join(root, 'nope.tar');
    refused(await runBuiltCli(['--home', home, 'sbom', missing]), missing, /no such file/);
    refused(await runBuiltCli(['--home', home, 'image', 'scan', `sbom:${missing}`]), missing, /no such file/);
    refused(await runBuiltCli(['--home', home, 'k8s', 'scan', missing]), missing, /no such file/);
  });
});

describe('output files', () => {
  it('admission manifests over an existing 0644 file leave it 0600', async () => {
    const out = join(root, 'manifests.yaml');
    writeFileSync(out, 'old', { mode: 0o644 });
    const run = await runBuiltCli(['--home', home, '--output', out, 'admission', 'manifests']);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--output into a missing directory or onto a directory fails naming it, leaving no temp file', async () => {
    const pod = join(root, 'pod.yaml');
    writeFileSync(
      pod,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n',
    );
    const missing = join(root, 'no-such-dir', 'out.json');
    refused(await runBuiltCli(['--home', home, '--output', missing, 'k8s', 'scan', pod]), missing);
    const outDir = join(root, 'out-dir');
    mkdirSync(outDir);
    refused(await runBuiltCli(['--home', home, '--output', outDir, 'k8s', 'scan', pod]), outDir);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(outDir)).toEqual([]);
    expect(bulkheadTemps()).toEqual([]);
  });
});
