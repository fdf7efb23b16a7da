import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, type TestDatabase } from '../test-support/dialects.js';
import { insertRawRows } from '../test-support/raw-rows.js';

const T = '2026-01-01T00:00:00.000Z';

describe.each(DIALECTS)('migration 0014 on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('keys every package row by its lookup and gives images their findings’ unlisted packages', async () => {
    database = await freshDatabase(dialect);
    const old = await database.open({ migrateTo: '0013_exploit_signals' });
    const pkg = (resource: string, name: string, purl: string) => ({
      resource_key: resource,
      name,
      version: '1',
      type: 'maven',
      purl,
      data: JSON.stringify({ name, purl }),
    });
    const jackson = 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@1';
    await insertRawRows(old.db, 'center_packages', [
      pkg('image:a', 'com.fasterxml.jackson.core:jackson-databind', jackson),
      pkg('image:a', 'PyYAML', 'pkg:pypi/pyyaml@1'),
    ]);
    const finding = (key: string, resource: string, name: string, purl: string) => ({
      result_key: key,
      resource_key: resource,
      vuln_id: `CVE-${key}`,
      aliases: '[]',
      package_name: name,
      package_version: '1',
      package_type: 'npm',
      purl,
      severity: 'HIGH',
      severity_rank: 3,
      fixed_version: null,
      status: 'fixed',
      state: 'open',
      exception_id: null,
      data: '{}',
      report_id: 1,
      first_seen: T,
      last_seen: T,
      resolved_at: null,
      title: null,
      remediation: '',
    });
    await insertRawRows(old.db, 'center_findings', [
      // listed already: no second row
      finding('1', 'image:a', 'com.fasterxml.jackson.core:jackson-databind', jackson),
      // an image pushed without its package list, two findings on one package: one row
      finding('2', 'image:b', '@babel/core', 'pkg:npm/%40babel/core@1'),
      finding('3', 'image:b', '@babel/core', 'pkg:npm/%40babel/core@1'),
    ]);
    await old.close();

    const store = await database.open();
    try {
      const rows = await store.db
        .selectFrom('center_packages')
        .select(['resource_key', 'name', 'type', 'purl', 'lookup', 'data'])
        .orderBy('resource_key')
        .orderBy('name')
        .execute();
      expect(rows.map(({ data, ...r }) => ({ ...r, data: JSON.parse(data) }))).toEqual([
        {
          resource_key: 'image:a',
          name: 'PyYAML',
          type: 'maven',
          purl: 'pkg:pypi/pyyaml@1',
          lookup: 'pyyaml',
          data: { name: 'PyYAML', purl: 'pkg:pypi/pyyaml@1' },
        },
        {
          resource_key: 'image:a',
          name: 'com.fasterxml.jackson.core:jackson-databind',
          type: 'maven',
          purl: jackson,
          lookup: 'jackson-databind',
          data: { name: 'com.fasterxml.jackson.core:jackson-databind', purl: jackson },
        },
        {
          resource_key: 'image:b',
          name: '@babel/core',
          type: 'npm',
          purl: 'pkg:npm/%40babel/core@1',
          lookup: 'core',
          data: { name: '@babel/core', version: '1', type: 'npm', purl: 'pkg:npm/%40babel/core@1' },
        },
      ]);
    } finally {
      await store.close();
    }
  });
});
