import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runBuiltCli } from './cli-support.js';

const N = 1500;
const root = mkdtempSync(join(tmpdir(), 'bulkhead-import-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Two OSV files: Go records without severity, and GHSA records carrying the CVSS; both alias the CVE, so a
 * finding's severity is found only through the alias index. Version 2 changes every record: newer date,
 * other title, one alias dropped.
 */
function writeFeeds(dir: string, version: 1 | 2): { go: string; ghsa: string } {
  mkdirSync(dir, { recursive: true });
  const modified = version === 1 ? '2024-01-01T00:00:00Z' : '2024-02-01T00:00:00Z';
  const go = [];
  const ghsa = [];
  for (let i = 0; i < N; i++) {
    const cve = `CVE-2024-${10000 + i}`;
    const range = [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }];
    go.push({
      schema_version: '1.6.0',
      id: `GO-2024-${10000 + i}`,
      modified,
      aliases: version === 1 ? [cve, `GO-OLD-${i}`] : [cve],
      summary: `go v${version}`,
      affected: [{ package: { ecosystem: 'Go', name: `example.com/m${i}` }, ranges: range }],
    });
    ghsa.push({
      schema_version: '1.6.0',
      id: `GHSA-aaaa-bbbb-${(10000 + i).toString(36)}`,
      modified,
      aliases: version === 1 ? [cve, `GHSA-OLD-${i}`] : [cve],
      summary: `ghsa v${version}`,
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: `unused-${i}` }, ranges: range }],
    });
  }
  const files = { go: join(dir, 'go.json'), ghsa: join(dir, 'ghsa.json') };
  writeFileSync(files.go, JSON.stringify(go));
  writeFileSync(files.ghsa, JSON.stringify(ghsa));
  return files;
}

const v1 = writeFeeds(join(root, 'v1'), 1);
const v2 = writeFeeds(join(root, 'v2'), 2);
const sbom = join(root, 'sbom.cdx.json');
writeFileSync(
  sbom,
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: Array.from({ length: 20 }, (_, k) => ({
      type: 'library',
      name: `example.com/m${k * 71}`,
      version: '1.0.0',
      purl: `pkg:golang/example.com/m${k * 71}@1.0.0`,
    })),
  }),
);

async function importAll(home: string, files: { go: string; ghsa: string }): Promise<void> {
  const run = await runBuiltCli(['--home', home, '--quiet', 'db', 'import', files.ghsa, files.go]);
  expect(run.code, run.stderr).toBe(0);
}

/** Findings as (id, package, severity, severity source), the part a kill must not change. */
async function scan(home: string): Promise<string[]> {
  const run = await runBuiltCli(['--home', home, '--format', 'json', 'image', 'scan', `sbom:${sbom}`]);
  expect(run.code, run.stderr).toBe(0);
  const doc = JSON.parse(run.stdout) as {
    vulnerabilities: { id: string; package: { name: string }; severity: string; severitySource?: string }[];
  };
  return doc.vulnerabilities.map((v) => `${v.id} ${v.package.name} ${v.severity} ${v.severitySource}`).sort();
}

/** Per source: how many records, which versions (by title) and how many aliases they have. */
function stateOf(home: string): Record<string, { records: number; versions: string[]; aliases: number }> {
  const db = new Database(join(home, 'bulkhead.db'), { readonly: true });
  try {
    const out: Record<string, { records: number; versions: string[]; aliases: number }> = {};
    const rows = db
      .prepare(
        `select s.name as name, count(distinct r.id) as records, group_concat(distinct r.title) as versions,
                count(a.alias) as aliases
         from advisory_records r join advisory_sources s on s.id = r.source_id
         left join advisory_aliases a on a.record_id = r.id group by s.name`,
      )
      .all() as { name: string; records: number; versions: string; aliases: number }[];
    for (const r of rows)
      out[r.name] = { records: r.records, versions: r.versions.split(',').sort(), aliases: r.aliases };
    return out;
  } finally {
    db.close();
  }
}

/** Start an import and kill -9 it after `ms`. */
function killedImport(home: string, files: { go: string; ghsa: string }, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [CLI, '--home', home, '--quiet', 'db', 'import', files.ghsa, files.go],
      { cwd: REPO_ROOT, stdio: 'ignore' },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('db import killed at random moments', () => {
  it('leaves each source file all old or all new, and a finished import scans as a clean one', async () => {
    const clean1 = join(root, 'clean1');
    await importAll(clean1, v1);
    const want1 = await scan(clean1);
    expect(want1).toHaveLength(20);
    expect(want1.every((f) => f.includes(' CRITICAL '))).toBe(true);
    const clean2 = join(root, 'clean2');
    cpSync(clean1, clean2, { recursive: true });
    await importAll(clean2, v2);
    const want2 = await scan(clean2);

    // moments spread over the import's run, first imports and re-imports alternating
    const moments = [150, 400, 700, 1000, 1300, 1700, 2100, 2600, 3200, 4000, 5000, 6500];
    for (const [k, ms] of moments.entries()) {
      const home = join(root, `killed-${k}`);
      const reimport = k % 2 === 1;
      if (reimport) cpSync(clean1, home, { recursive: true });
      const files = reimport ? v2 : v1;
      await killedImport(home, files, ms + Math.floor(Math.random() * 200));
      let state: ReturnType<typeof stateOf> = {};
      try {
        state = stateOf(home);
      } catch {
        // killed before the store was created
      }
      for (const [source, s] of Object.entries(state)) {
        const label = `moment ${k} (${ms} ms), source ${source}: ${JSON.stringify(s)}`;
        if (!reimport) {
          // a first import: nothing of the file, or all of it with every alias
          expect(s.records === 0 || s.records === N, label).toBe(true);
          expect(s.aliases, label).toBe(s.records * 2);
        } else {
          expect(s.records, label).toBe(N);
          expect(s.versions, label).toHaveLength(1);
          // version 1 has two aliases per record, version 2 one: never a mix, never none
          expect(s.aliases, label).toBe(s.versions[0]!.endsWith('v1') ? 2 * N : N);
        }
      }
      await importAll(home, files);
      expect(await scan(home), `moment ${k}`).toEqual(reimport ? want2 : want1);
    }
  }, 600_000);
});
