import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../test-support/dialects.js';
import { insertRawRows } from '../test-support/raw-rows.js';

const T = '2026-01-01T00:00:00.000Z';

describe.each(DIALECTS)('migration 0012 on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('fills the list columns of existing results from their documents, and defaults where a member is absent or not text', async () => {
    database = await freshDatabase(dialect);
    const old = await database.open({ migrateTo: '0011_findings_vuln_index' });
    const finding = (key: string, data: string) => ({
      result_key: key,
      resource_key: 'image:x',
      vuln_id: 'CVE-1',
      aliases: '[]',
      package_name: 'p',
      package_version: '1',
      package_type: 'deb',
      purl: 'pkg:deb/p@1',
      severity: 'HIGH',
      severity_rank: 3,
      fixed_version: null,
      status: 'fixed',
      state: 'open',
      exception_id: null,
      data,
      report_id: 1,
      first_seen: T,
      last_seen: T,
      resolved_at: null,
    });
    // written as 0011 wrote them: the columns the lists show do not exist yet
    await insertRawRows(old.db, 'center_findings', [
      finding('a', JSON.stringify({ title: 'p: overflow', remediation: 'upgrade p to 2' })),
      finding('b', JSON.stringify({ title: 7 })),
    ]);
    const control = {
      result_key: 'c',
      resource_key: 'host:h',
      engine: 'docker-benchmark',
      control: '5.4',
      control_version: 1,
      subject: '',
      status: 'fail',
      severity: 'HIGH',
      severity_rank: 3,
      standards: '[]',
      state: 'open',
      exception_id: null,
      data: JSON.stringify({ message: 'privileged', field: 'HostConfig.Privileged' }),
      report_id: 1,
      first_seen: T,
      last_seen: T,
      resolved_at: null,
    };
    await insertRawRows(old.db, 'center_control_results', [control]);
    const alert = {
      alert_key: 'a',
      resource_key: 'host:h',
      rule: 'shell-in-container',
      severity: 'HIGH',
      severity_rank: 3,
      source: 'docker-events',
      count: 1,
      state: 'new',
      assignee: null,
      reason: null,
      exception_id: null,
      data: JSON.stringify({ title: 'Shell', tactic: 'Execution', evidence: { pid: 4 }, technique: ['x'] }),
      report_id: 1,
      first_seen: T,
      last_seen: T,
      resolved_at: null,
      updated_at: T,
    };
    await insertRawRows(old.db, 'center_alerts', [alert]);
    await old.close();

    const store = await database.open();
    try {
      const findings = await store.db
        .selectFrom('center_findings')
        .select(['result_key', 'title', 'remediation'])
        .orderBy('result_key')
        .execute();
      expect(findings).toEqual([
        { result_key: 'a', title: 'p: overflow', remediation: 'upgrade p to 2' },
        { result_key: 'b', title: null, remediation: '' },
      ]);
      const controls = await store.db
        .selectFrom('center_control_results')
        .select(['title', 'message', 'field', 'remediation'])
        .execute();
      expect(controls).toEqual([
        { title: null, message: 'privileged', field: 'HostConfig.Privileged', remediation: null },
      ]);
      const alerts = await store.db
        .selectFrom('center_alerts')
        .select(['title', 'tactic', 'technique', 'evidence'])
        .execute();
      expect(alerts.map((a) => ({ ...a, evidence: JSON.parse(a.evidence) }))).toEqual([
        { title: 'Shell', tactic: 'Execution', technique: null, evidence: { pid: 4 } },
      ]);
    } finally {
      await store.close();
    }
  });
});
