import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rssTarget, runMeasured, writeAuditLog } from './peak-rss.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-bounded-'));
const home = join(root, 'home');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const MB = 1024 * 1024;

describe('memory stays bounded on large inputs (peak RSS sampled)', () => {
  it('runtime detect of a 200 MB audit log evaluates as it reads (1 GB: bench/limits)', async () => {
    const log = join(root, 'audit.log');
    // about 2 MB/s of exec events on a quiet two-core machine: a minute or two, well under the limit below
    const size = await writeAuditLog(log, 200 * MB);
    const run = await runMeasured(['--home', home, 'runtime', 'detect', '--source', 'auditd', log]);
    expect(run.code, run.stderr).not.toBe(3);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    // far below the target: the log is never held
    expect(run.peakRss).toBeLessThan(Math.min(rssTarget(size), 300 * MB));
    rmSync(log, { force: true });
  }, 900_000);

  it('a kind: List of 100k Pods is refused in seconds, naming it', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] },
    }));
    const file = join(root, 'list.json');
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    writeFileSync(file, text);
    const run = await runMeasured(['--home', home, 'k8s', 'scan', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(file)]);
    expect(run.peakRss).toBeLessThan(rssTarget(text.length));
  }, 300_000);

  it('a 65 MB Alpine secdb YAML is refused before parsing, naming it', async () => {
    const file = join(root, 'main.yaml');
    const head =
      'apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk"\narchs:\n  - x86_64\nreponame: main\nurlprefix: https://dl-cdn.alpinelinux.org/alpine\ndistroversion: v3.19\npackages:\n';
    const one = (i: number) =>
      `  - pkg:\n      name: pkg${i}\n      secfixes:\n        1.${i}-r0:\n          - CVE-2024-${10000 + (i % 90000)}\n`;
    const parts: string[] = [head];
    let size = head.length;
    for (let i = 0; size < 65 * MB; i++) {
      const p = one(i);
      parts.push(p);
      size += p.length;
    }
    writeFileSync(file, parts.join(''));
    const run = await runMeasured(['--home', home, 'db', 'import', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(file)]);
    expect(run.peakRss).toBeLessThan(rssTarget(size));
  }, 300_000);
});
