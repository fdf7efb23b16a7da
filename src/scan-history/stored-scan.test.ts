import { afterEach, describe, expect, it } from 'vitest';
import type { ControlResult, VulnerabilityFinding } from '../core/results.js';
import { saveControlScan } from '../store/control-scan.js';
import { insertFindings } from '../store/findings.js';
import { finishScan, listScans, startScan } from '../store/scans.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { diffItems } from './diff.js';
import { loadStoredScan, passedCount, scanItems } from './stored-scan.js';

const control = (id: string, container: string, status: ControlResult['status']): ControlResult => ({
  control: id,
  title: `control ${id}`,
  severity: 'MEDIUM',
  standards: ['test'],
  resource: { type: 'container', id: container, name: container, parent: { type: 'host', id: 'node-1' } },
  status,
  message: `${id} ${status} on ${container}`,
  remediation: 'fix it',
});

const finding = (id: string, name: string, version: string): VulnerabilityFinding => ({
  id,
  aliases: [],
  package: { name, version, type: 'npm', purl: `pkg:npm/${name}@${version}` },
  fixedVersion: null,
  status: 'affected',
  severity: 'HIGH',
  severitySource: 'test',
  remediation: 'upgrade',
  dataSource: { id: 'test', name: 'test' },
  path: `node_modules/${name}/package.json`,
});

describe.each(DIALECTS)('stored scans read back (%s)', (dialect) => {
  let db: TestDatabase;
  afterEach(() => db?.dispose());

  it('gives control results one by one and plain passes as counts; compares two runs', async () => {
    db = await freshDatabase(dialect);
    const store = await db.open();
    try {
      const t0 = new Date('2026-01-01T00:00:00Z');
      const t1 = new Date('2026-01-02T00:00:00Z');
      const a = await saveControlScan(
        store.db,
        'bench-docker',
        'node-1',
        [control('c1', 'web', 'fail'), control('c1', 'db', 'pass'), control('c2', 'web', 'warn')],
        t0,
      );
      const b = await saveControlScan(
        store.db,
        'bench-docker',
        'node-1',
        [control('c1', 'db', 'fail'), control('c2', 'web', 'fail'), control('c1', 'web', 'pass')],
        t1,
      );
      expect((await listScans(store.db)).map((s) => s.id)).toEqual([b, a]);
      expect((await listScans(store.db, { kind: 'image' })).length).toBe(0);
      const first = await loadStoredScan(store.db, a);
      expect(first.results).toBe('controls');
      expect(passedCount(first)).toBe(1);
      expect(scanItems(first).map((i) => `${i.id} ${i.resource} ${i.status}`)).toEqual([
        'c1 container web fail',
        'c2 container web warn',
      ]);
      const diff = diffItems(scanItems(first), scanItems(await loadStoredScan(store.db, b)));
      expect(diff.new.map((i) => `${i.id} ${i.resource}`)).toEqual(['c1 container db']);
      expect(diff.resolved.map((i) => `${i.id} ${i.resource}`)).toEqual(['c1 container web']);
      expect(diff.changed.map((i) => `${i.id} ${i.was} → ${i.status}`)).toEqual(['c2 warn → fail']);
      await expect(loadStoredScan(store.db, 999)).rejects.toThrow('scan 999: no such scan');
    } finally {
      await store.close();
    }
  });

  it('gives findings back; a package upgraded but still affected is the same result', async () => {
    db = await freshDatabase(dialect);
    const store = await db.open();
    try {
      const save = async (findings: VulnerabilityFinding[]) => {
        const id = await startScan(store.db, 'image', 'app:1');
        await insertFindings(store.db, id, null, findings);
        await finishScan(store.db, id, { counts: { HIGH: findings.length } });
        return id;
      };
      const a = await save([finding('GHSA-1', 'lodash', '4.17.4'), finding('GHSA-2', 'minimist', '0.0.8')]);
      const b = await save([finding('GHSA-1', 'lodash', '4.17.10'), finding('GHSA-3', 'moment', '2.15.0')]);
      const first = await loadStoredScan(store.db, a);
      expect(first.results === 'findings' && first.findings.map((f) => f.id)).toEqual(['GHSA-1', 'GHSA-2']);
      const diff = diffItems(scanItems(first), scanItems(await loadStoredScan(store.db, b)));
      expect(diff.new.map((i) => `${i.id} ${i.subject}`)).toEqual(['GHSA-3 moment@2.15.0']);
      expect(diff.resolved.map((i) => `${i.id} ${i.subject}`)).toEqual(['GHSA-2 minimist@0.0.8']);
      expect(diff.unchanged.map((i) => `${i.id} ${i.subject}`)).toEqual(['GHSA-1 lodash@4.17.10']);
    } finally {
      await store.close();
    }
  });
});
