/**
 * `bulkhead scans list | show | diff` through the built CLI, on results real commands stored: k8s scans of a
 * manifest, and bench docker on the local engine before and after one insecure container is started.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';
import { writeNpmSbom } from './npm-sbom.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-scans-'));
const home = join(dir, 'home');
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runBuiltCli(['--home', home, ...args], { env });
const json = async (args: string[]) => {
  const r = await cli(['--format', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

/** Containers and image this file creates, named after its run so that nothing else is touched. */
const tag = `${process.pid}-${Date.now().toString(36)}`;
const image = `bulkhead-test/scans-diff:${tag}`;
const baseline = `bulkhead-scans-${tag}-baseline`;
const insecure = `bulkhead-scans-${tag}-insecure`;
const docker = (...args: string[]) => run('docker', args, { timeout: 120_000 });

afterAll(async () => {
  await docker('rm', '-f', baseline, insecure).catch(() => {});
  await docker('rmi', '-f', image).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

interface Item {
  key: string;
  id: string;
  resource: string;
  status: string;
}

describe('bulkhead scans', () => {
  const pod = (privileged: boolean) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx, securityContext: {privileged: ${privileged}}}\n`;

  it('lists, shows and compares stored k8s scans; refuses an unknown id and scans of different kinds', async () => {
    const manifest = join(dir, 'pod.yaml');
    writeFileSync(manifest, pod(true));
    expect((await cli(['k8s', 'scan', manifest])).code).toBe(0);
    writeFileSync(manifest, pod(false));
    expect((await cli(['k8s', 'scan', manifest])).code).toBe(0);

    const list = await json(['scans', 'list', '--kind', 'k8s']);
    expect(list.kind).toBe('ScanList');
    expect(list.scans.map((s: { id: number }) => s.id)).toEqual([2, 1]);
    expect((await json(['scans', 'list', '--limit', '1'])).scans).toHaveLength(1);
    expect((await json(['scans', 'list', '--target', 'elsewhere'])).scans).toEqual([]);
    const table = await cli(['scans', 'list']);
    expect(table.stdout).toMatch(/ID\s+KIND\s+TARGET\s+STARTED\s+FINISHED\s+SUMMARY/);
    expect(table.stdout).toMatch(
      /\n\s*1\s+k8s\s+\S*pod\.yaml\s+\S+ \S+\s+\S+ \S+\s+\d+ failing of \d+ results/,
    );

    // show reads back what the store kept: the failures one by one, the plain passes as counts
    const first = await json(['scans', 'show', '1']);
    expect(first.kind).toBe('StoredScan');
    expect(first.scan).toMatchObject({ id: 1, kind: 'k8s' });
    const failed = first.results.filter((r: { status: string }) => r.status === 'fail');
    expect(failed.length).toBe(first.scan.summary.fail);
    const passes = Object.values(first.passed as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(first.results.length + passes).toBe(first.scan.summary.results);
    const shown = await cli(['scans', 'show', '1']);
    expect(shown.stdout).toContain('Scan 1: k8s of ');
    expect(shown.stdout).toMatch(/\bfail\b/);

    // privileged: true → false: what only the privileged pod failed is resolved, nothing is new
    const second = await json(['scans', 'show', '2']);
    const diff = await json(['scans', 'diff', '1', '2']);
    expect(diff.kind).toBe('ScanDiff');
    expect(diff.new).toEqual([]);
    expect(diff.resolved.length).toBeGreaterThan(0);
    expect(diff.resolved.length + diff.unchanged.length + diff.changed.length).toBe(first.results.length);
    expect(diff.new.length + diff.unchanged.length + diff.changed.length).toBe(second.results.length);
    expect(diff.resolved.map((r: Item) => r.id)).toContain(
      first.results.find((r: { field?: string }) => r.field?.includes('privileged'))?.control,
    );
    const back = await json(['scans', 'diff', '2', '1']);
    expect(back.new.map((r: Item) => r.key).sort()).toEqual(diff.resolved.map((r: Item) => r.key).sort());

    const unknown = await cli(['scans', 'show', '99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('bulkhead: scan 99: no such scan\n');
    const bad = await cli(['scans', 'diff', '1', 'two']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('bulkhead: scan id: "two" is not a whole number from 1\n');
  }, 120_000);

  it('shows the findings of a stored image scan and compares two versions of an application', async () => {
    const imageHome = join(dir, 'images');
    const run = (args: string[]) => runBuiltCli(['--home', imageHome, ...args]);
    const nswg = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
    expect((await run(['db', 'import', nswg, '--quiet'])).code).toBe(0);
    const sbom = (file: string, components: string[][]) =>
      `sbom:${writeNpmSbom(join(dir, file), components)}`;
    // qs goes, marked comes, lodash stays at the same version
    const v1 = sbom('v1.cdx.json', [
      ['lodash', '4.17.4'],
      ['qs', '0.6.0'],
    ]);
    const v2 = sbom('v2.cdx.json', [
      ['lodash', '4.17.4'],
      ['marked', '0.3.5'],
    ]);
    const scanned: { vulnerabilities: { id: string; package: { name: string } }[] }[] = [];
    for (const target of [v1, v2]) {
      const r = await run(['--format', 'json', 'image', 'scan', target]);
      expect(r.code, r.stderr).toBe(0);
      scanned.push(JSON.parse(r.stdout));
    }
    const ids = (name: string, doc = scanned[0]!) =>
      doc.vulnerabilities.filter((v) => v.package.name === name).map((v) => v.id);
    expect(ids('qs').length).toBeGreaterThan(0);
    expect(ids('marked', scanned[1]).length).toBeGreaterThan(0);

    const list = JSON.parse((await run(['--format', 'json', 'scans', 'list'])).stdout).scans;
    expect(list.map((s: { kind: string }) => s.kind)).toEqual(['image', 'image']);
    expect(list[1].summaryText).toMatch(/^\d+ (CRITICAL|HIGH|MEDIUM|LOW)/);
    const shown = JSON.parse((await run(['--format', 'json', 'scans', 'show', '1'])).stdout);
    expect(shown.findings.map((f: { id: string }) => f.id).sort()).toEqual(
      scanned[0]!.vulnerabilities.map((v) => v.id).sort(),
    );
    const diff = JSON.parse((await run(['--format', 'json', 'scans', 'diff', '1', '2'])).stdout);
    const of = (list: { id: string; subject: string }[], name: string) =>
      list.filter((i) => i.subject.startsWith(`${name}@`)).map((i) => i.id);
    expect(of(diff.resolved, 'qs').sort()).toEqual(ids('qs').sort());
    expect(of(diff.new, 'marked').sort()).toEqual(ids('marked', scanned[1]).sort());
    expect(of(diff.unchanged, 'lodash').sort()).toEqual(ids('lodash').sort());
    expect(diff.new.length + diff.resolved.length).toBe(ids('marked', scanned[1]).length + ids('qs').length);
    const table = await run(['scans', 'show', '2']);
    expect(table.stdout).toMatch(/SEVERITY\s+STATUS\s+ID\s+WHERE\s+MESSAGE/);
    expect(table.stdout).toContain('marked@0.3.5');
  }, 180_000);

  it('diff of two bench docker runs shows exactly the results of the container started between them', async () => {
    // a tiny image from local files only: a static busybox on scratch
    const context = join(dir, 'image');
    rmSync(context, { recursive: true, force: true });
    await run('mkdir', ['-p', context]);
    copyFileSync('/usr/bin/busybox', join(context, 'busybox'));
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "sleep", "3600"]\n',
    );
    await docker('build', '-q', '-t', image, context);
    await docker(
      // no network: the containers depend on no bridge of the shared engine
      ...['run', '-d', '--network', 'none', '--name', baseline, '--memory', '64m', '--read-only'],
      ...['--cpu-shares', '512'],
      ...['--pids-limit', '64', '--security-opt', 'no-new-privileges', image],
    );
    // the engine is shared: every container but this file's is left out, so that others' work does not show
    const bench = ['bench', 'docker', '--exclude-container', `!bulkhead-scans-${tag}-*`];
    expect((await cli(bench)).code).toBe(0);
    // no memory, CPU or PIDs limit, writable root file system, no-new-privileges unset
    await docker('run', '-d', '--network', 'none', '--name', insecure, image);
    const after = await cli(['--format', 'json', ...bench]);
    expect(after.code, after.stderr).toBe(0);
    const doc = JSON.parse(after.stdout) as {
      results: { id: string; status: string; resources: { type: string; name: string }[] }[];
    };
    await docker('rm', '-f', insecure);
    expect((await cli(bench)).code).toBe(0);

    const scans = (await json(['scans', 'list', '--kind', 'bench-docker'])).scans;
    const [third, second, first] = scans.map((s: { id: number }) => String(s.id));
    // what the second run reported about the insecure container, control by control (plain passes are counts)
    const aboutInsecure = doc.results
      .filter((r) => r.status !== 'pass' && r.resources.some((x) => x.name === insecure))
      .map((r) => `cis-docker-${r.id}`)
      .sort();
    expect(aboutInsecure).toContain('cis-docker-5.11');

    const started = await json(['scans', 'diff', first, second]);
    expect(started.changed).toEqual([]);
    expect(started.resolved).toEqual([]);
    expect(started.new.every((r: Item) => r.resource.includes(insecure))).toBe(true);
    expect(started.new.map((r: Item) => r.id).sort()).toEqual(aboutInsecure);
    expect(started.unchanged.some((r: Item) => r.resource.includes(baseline))).toBe(true);
    expect(started.unchanged.some((r: Item) => r.resource.includes(insecure))).toBe(false);

    const removed = await json(['scans', 'diff', second, third]);
    expect(removed.new).toEqual([]);
    expect(removed.changed).toEqual([]);
    expect(removed.resolved.map((r: Item) => r.key).sort()).toEqual(
      started.new.map((r: Item) => r.key).sort(),
    );
    expect(removed.unchanged.map((r: Item) => r.key).sort()).toEqual(
      started.unchanged.map((r: Item) => r.key).sort(),
    );

    const table = await cli(['--wide', 'scans', 'diff', first, second]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(
      `Scan ${first} → ${second} (bench-docker): ${started.new.length} new, 0 resolved, 0 changed`,
    );
    expect(table.stdout).toMatch(/\nNew\n/);
    expect(table.stdout).toContain(insecure);

    const mixed = await cli(['scans', 'diff', '1', first]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(
      `bulkhead: scans diff: scan 1 is k8s and scan ${first} is bench-docker: only scans of the same kind compare\n`,
    );
  }, 300_000);
});
