import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlResult, VulnerabilityFinding } from '../core/results.js';
import { listAdmissionDecisions, saveAdmissionDecisions } from './admission-decisions.js';
import { listControlResults } from './control-results.js';
import { saveControlScan } from './control-scan.js';
import { insertFindings, listScanFindings } from './findings.js';
import { chunked, insertChunks, MAX_STATEMENT_PARAMETERS, rowsPerStatement } from './insert-chunks.js';
import { listResources } from './resources.js';
import { getScan, startScan } from './scans.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

/** Modules that are use cases, not repositories: each opens one transaction and passes it on. */
const USE_CASES = new Set(['control-scan.ts', 'open.ts', 'prune.ts', 'write-transaction.ts']);

describe('repositories', () => {
  it('never open a transaction: the caller chooses it', () => {
    const dir = new URL('.', import.meta.url);
    const repositories = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !USE_CASES.has(f),
    );
    expect(repositories.length).toBeGreaterThan(5);
    const opening = repositories.filter((f) =>
      /\.transaction\(\)/.test(readFileSync(new URL(f, dir), 'utf8')),
    );
    expect(opening).toEqual([]);
  });

  it('cut rows by the parameter limit and the column count', () => {
    expect(rowsPerStatement(1)).toBe(MAX_STATEMENT_PARAMETERS);
    expect(rowsPerStatement(10)).toBe(3276);
    expect(rowsPerStatement(1, 1)).toBe(MAX_STATEMENT_PARAMETERS - 1);
    expect(chunked([1, 2, 3, 4, 5], 16_000).map((c) => c.length)).toEqual([2, 2, 1]);
    expect(() => rowsPerStatement(0)).toThrow(RangeError);
  });
});

function finding(id: string, name: string): VulnerabilityFinding {
  return {
    id,
    aliases: [],
    package: { name, version: '1.0', type: 'deb', purl: `pkg:deb/debian/${name}@1.0` },
    fixedVersion: '1.1',
    status: 'fixed',
    severity: 'HIGH',
    severitySource: 'debian',
    remediation: `upgrade ${name} 1.0 → 1.1`,
    dataSource: { id: 'debian-tracker', name: 'Debian Security Tracker' },
  };
}

function result(control: string, message: string): ControlResult {
  return {
    control,
    title: control,
    severity: 'HIGH',
    standards: ['cis'],
    resource: { type: 'workload', id: 'default/web', name: 'web' },
    status: 'fail',
    message,
    remediation: 'fix it',
  };
}

describe.each(DIALECTS)('repositories on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('insertChunks writes more rows than one statement holds, in several statements', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const perStatement = rowsPerStatement(11);
    const decisions = Array.from({ length: perStatement + 3 }, (_, i) => ({
      uid: `u${i}`,
      decidedAt: '2026-01-01T00:00:00.000Z',
      operation: 'CREATE',
      allowed: true,
      action: 'allow',
      violations: [],
    }));
    await saveAdmissionDecisions(store.db, decisions);
    expect(await listAdmissionDecisions(store.db, { limit: perStatement + 10 })).toHaveLength(
      perStatement + 3,
    );
    await insertChunks(store.db, 'admission_decisions', []);
    await store.close();
  });

  it('insertChunks writes rows of different shapes through the builder, and refuses a name that is not plain', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const row = (name: string, last: string | undefined) => ({
      resource_key: 'image:x',
      name,
      version: '1',
      type: 'deb',
      purl: `pkg:deb/debian/${name}@1`,
      lookup: name,
      data: last === undefined ? '{}' : JSON.stringify({ last }),
    });
    // same keys: the hand-built statement; a missing key: the builder, which leaves the column to its default
    await insertChunks(store.db, 'center_packages', [row('a', 'x'), row('b', undefined)]);
    const { data: _omitted, ...withoutData } = row('c', 'y');
    await expect(
      insertChunks(store.db, 'center_packages', [row('d', 'z'), withoutData as ReturnType<typeof row>]),
    ).rejects.toThrow(); // data is NOT NULL without a default: the builder's statement is refused as a whole
    const names = await store.db
      .selectFrom('center_packages')
      .select(['name', 'data'])
      .orderBy('name')
      .execute();
    expect(names).toEqual([
      { name: 'a', data: '{"last":"x"}' },
      { name: 'b', data: '{}' },
    ]);
    await expect(
      insertChunks(store.db, 'center_packages', [
        { ...row('e', 'x'), 'data" , "x': 1 } as ReturnType<typeof row>,
      ]),
    ).rejects.toThrow(/not a plain identifier/);
    await store.close();
  });

  it('insertFindings and listScanFindings keep a scan’s findings in order', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const scanId = await startScan(store.db, 'image', 'r/x:1');
    const findings = [finding('CVE-2026-2', 'b'), finding('CVE-2026-1', 'a')];
    await store.db.transaction().execute((tx) => insertFindings(tx, scanId, 'sha256:img', findings));
    expect(await listScanFindings(store.db, scanId)).toEqual(findings);
    const rows = await store.db
      .selectFrom('findings')
      .select(['image_digest', 'vuln_id'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { image_digest: 'sha256:img', vuln_id: 'CVE-2026-2' },
      { image_digest: 'sha256:img', vuln_id: 'CVE-2026-1' },
    ]);
    await store.close();
  });

  it('saveControlScan stores start, results and finish together', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const id = await saveControlScan(store.db, 'k8s', 'deploy/', [result('K8S-POD-01', 'privileged')]);
    expect(await getScan(store.db, id)).toMatchObject({ kind: 'k8s', summary: { results: 1, fail: 1 } });
    expect(await listControlResults(store.db, { scanId: id })).toHaveLength(1);
    await store.close();
  });

  it('a failure in the middle of saveControlScan leaves nothing stored: no scan, no resource, no result', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    // the scan row and the first resource are written before the results insert fails on a NOT NULL column
    const bad = { ...result('K8S-POD-02', 'x'), message: null as unknown as string };
    await expect(
      saveControlScan(store.db, 'k8s', 'deploy/', [result('K8S-POD-01', 'privileged'), bad]),
    ).rejects.toThrow();
    expect(await store.db.selectFrom('scans').selectAll().execute()).toEqual([]);
    expect(await listResources(store.db)).toEqual([]);
    expect(await listControlResults(store.db)).toEqual([]);
    await store.close();
  });
});
