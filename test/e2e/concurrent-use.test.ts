import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from './cli-support.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-concurrent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function osvFile(file: string, prefix: string, n: number): void {
  const records = Array.from({ length: n }, (_, i) => ({
    schema_version: '1.6.0',
    id: `${prefix}-2024-${10000 + i}`,
    modified: '2024-01-01T00:00:00Z',
    aliases: [`CVE-2024-${prefix === 'GO' ? 10000 + i : 50000 + i}`],
    affected: [
      {
        package: { ecosystem: prefix === 'GO' ? 'Go' : 'npm', name: `m${i}` },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }],
      },
    ],
  }));
  writeFileSync(file, JSON.stringify(records));
}

describe('commands started together on a fresh home', () => {
  it('two db imports, an image scan and a k8s scan all succeed', async () => {
    const home = join(root, 'home');
    const a = join(root, 'go.json');
    const b = join(root, 'npm.json');
    osvFile(a, 'GO', 2000);
    osvFile(b, 'NPM', 2000);
    const sbom = join(root, 'sbom.cdx.json');
    writeFileSync(
      sbom,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components: [{ type: 'library', name: 'm1', version: '1.0.0', purl: 'pkg:golang/m1@1.0.0' }],
      }),
    );
    const pod = join(root, 'pod.yaml');
    writeFileSync(
      pod,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n',
    );
    const runs = await Promise.all([
      runBuiltCli(['--home', home, '--quiet', 'db', 'import', a]),
      runBuiltCli(['--home', home, '--quiet', 'db', 'import', b]),
      runBuiltCli(['--home', home, '--quiet', 'image', 'scan', `sbom:${sbom}`]),
      runBuiltCli(['--home', home, '--quiet', 'k8s', 'scan', pod]),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const status = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('"advisories": 4000');
  }, 180_000);
});
