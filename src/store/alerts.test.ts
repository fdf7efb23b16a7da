import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../core/results.js';
import { listAlerts, saveAlerts } from './alerts.js';
import { listResources } from './resources.js';
import { DIALECTS, freshDatabase, type TestDatabase } from './test-support/dialects.js';

function alert(rule: string, count = 1, lastSeen = '2026-01-01T00:00:05.000Z'): Alert {
  return {
    rule,
    title: `rule ${rule}`,
    severity: 'HIGH',
    tactic: 'Execution',
    technique: 'T1059.004',
    source: 'auditd',
    resource: { type: 'container', id: 'abc', name: 'web', parent: { type: 'host', id: 'node-1' } },
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen,
    count,
    evidence: { exe: '/usr/sbin/sshd', cmdline: 'sshd -D' },
  };
}

describe.each(DIALECTS)('alerts on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('stores alerts with their resource and reads them back unchanged', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await saveAlerts(store.db, [
      { alert: alert('RT-HOST-03') },
      { alert: alert('RT-HOST-04'), key: 'xmrig' },
    ]);
    const back = await listAlerts(store.db);
    expect(back.map((a) => a.rule).sort()).toEqual(['RT-HOST-03', 'RT-HOST-04']);
    expect(back.find((a) => a.rule === 'RT-HOST-03')).toEqual(alert('RT-HOST-03'));
    expect((await listResources(store.db)).map((r) => r.key)).toContain('host:node-1/container:abc');
    await store.close();
  });

  it('raises the count of an alert saved again under the same key instead of adding a row', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await saveAlerts(store.db, [{ alert: alert('RT-HOST-03') }]);
    await saveAlerts(store.db, [{ alert: alert('RT-HOST-03', 4, '2026-01-01T00:09:00.000Z') }]);
    const back = await listAlerts(store.db, { rule: 'RT-HOST-03' });
    expect(back.length).toBe(1);
    expect(back[0]!.count).toBe(4);
    expect(back[0]!.lastSeen).toBe('2026-01-01T00:09:00.000Z');
    expect(await listAlerts(store.db, { since: '2026-01-01T00:10:00.000Z' })).toEqual([]);
    await store.close();
  });
});
