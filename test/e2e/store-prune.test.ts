/** `bulkhead store prune` through the built CLI: old scans go, the newest of each target (its open results) stays. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './cli-support.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runBuiltCli(['--home', dir, ...args], { env });

const status = async () => JSON.parse((await cli(['--format', 'json', 'store', 'status'])).stdout).counts;

describe('bulkhead store prune', () => {
  it('drops old scans and their results, keeps the newest per kind and target', async () => {
    const manifest = join(dir, 'pod.yaml');
    writeFileSync(
      manifest,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx, securityContext: {privileged: true}}\n',
    );
    for (let i = 0; i < 3; i++) expect((await cli(['k8s', 'scan', manifest])).code).toBe(0);
    const before = await status();
    expect(before.scans).toBe(3);
    // nothing is 30 days old yet
    const none = await cli(['--format', 'json', 'store', 'prune', '--older-than', '30d']);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).removed).toEqual({ scans: 0 });
    // 60 days later: all three are old; the newest stays (its results are still the open ones), and with it its results
    const later = { BULKHEAD_NOW: new Date(Date.now() + 60 * 86_400_000).toISOString() };
    const keepTwo = await cli(
      ['--format', 'json', 'store', 'prune', '--older-than', '30d', '--keep-last', '2'],
      later,
    );
    expect(JSON.parse(keepTwo.stdout).removed).toEqual({ scans: 1 });
    const pruned = await cli(['store', 'prune', '--older-than', '30d'], later);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('Removed 1 scan started before');
    const after = await status();
    expect(after.scans).toBe(1);
    expect(after.controlResults).toBe(before.controlResults / 3);
    const bad = await cli(['store', 'prune', '--older-than', 'a month']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('bulkhead: --older-than: "a month" is not an age such as 30d, 12h or 2w\n');
  }, 120_000);

  it('applies the retention of config.yaml when no flag is given; flags and variables override it', async () => {
    const home = join(dir, 'retention');
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runBuiltCli(['--home', home, '--format', 'json', ...args], { env });
    const manifest = join(dir, 'pod.yaml');
    for (let i = 0; i < 4; i++) expect((await run(['k8s', 'scan', manifest])).code).toBe(0);
    const scans = async () => JSON.parse((await run(['store', 'status'])).stdout).counts.scans;

    const none = await run(['store', 'prune']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'bulkhead: store prune: give --older-than, or set retention.olderThan in <home>/config.yaml (e.g. retention: {olderThan: 30d})\n',
    );
    writeFileSync(join(home, 'config.yaml'), 'retention:\n  olderThan: 30d\n  keepLast: 3\n');
    const later = { BULKHEAD_NOW: new Date(Date.now() + 60 * 86_400_000).toISOString() };
    // nothing is 30 days old today
    expect(JSON.parse((await run(['store', 'prune'])).stdout)).toMatchObject({
      keepLast: 3,
      removed: { scans: 0 },
    });
    // 60 days later the file's retention keeps the newest 3 of the 4
    const byFile = JSON.parse((await run(['store', 'prune'], later)).stdout);
    expect(byFile).toMatchObject({ keepLast: 3, removed: { scans: 1 } });
    expect(await scans()).toBe(3);
    // a variable overrides the file, a flag overrides both
    const byEnv = await run(['store', 'prune'], { ...later, BULKHEAD_RETENTION_KEEP_LAST: '2' });
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ keepLast: 2, removed: { scans: 1 } });
    const byFlag = await run(['store', 'prune', '--keep-last', '1'], {
      ...later,
      BULKHEAD_RETENTION_KEEP_LAST: '2',
    });
    expect(JSON.parse(byFlag.stdout)).toMatchObject({ keepLast: 1, removed: { scans: 1 } });
    expect(await scans()).toBe(1);
    // the file's age is checked as the flag's is
    writeFileSync(join(home, 'config.yaml'), 'retention: {olderThan: a month}\n');
    const bad = await run(['store', 'prune']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `bulkhead: ${join(home, 'config.yaml')}: retention.olderThan: "a month" is not an age such as 30d, 12h or 2w\n`,
    );
  }, 120_000);
});
