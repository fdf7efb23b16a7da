import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { importSources } from './importer.js';
import type { AdvisoryRecord } from './model.js';
import { advisoriesByPackage, findAdvisories } from './query.js';
import { advisoryStatus, recordsByAlias, writeRecords } from './store.js';

/** vunnel's Debian inputs: a DSA list and a security-tracker export. */
const DEBIAN_INPUT = corpusPath(
  'vulndb',
  'debian',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'debian',
  'test-fixtures',
  'input',
);

function record(id: string, over: Partial<AdvisoryRecord> = {}): AdvisoryRecord {
  return {
    source: 'go',
    format: 'osv',
    id,
    aliases: ['CVE-2024-0001'],
    title: `advisory ${id}`,
    severity: [
      {
        source: 'go',
        type: 'CVSS_V3',
        value: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        score: 9.8,
        severity: 'CRITICAL',
      },
    ],
    references: [],
    published: '2024-01-01T00:00:00.000Z',
    modified: '2024-02-01T00:00:00.000Z',
    withdrawn: null,
    affected: [
      {
        namespace: 'go',
        package: 'example.com/mod',
        state: 'fixed',
        ranges: [
          {
            type: 'SEMVER',
            events: [{ introduced: '0' }, { fixed: '1.2.0' }, { introduced: '1.3.0' }, { fixed: '1.3.5' }],
          },
        ],
        versions: [],
        fixedVersion: '1.3.5',
        severity: [],
      },
    ],
    ...over,
  };
}

describe.each(DIALECTS)('advisory store on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('writes records once, counts per source, and a second write of the same data changes nothing', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const first = await writeRecords(store.db, [record('GO-1'), record('GO-2')], 'a.json');
    expect(first).toEqual({ written: 2, older: 0, rows: 2 });
    const before = await advisoryStatus(store.db);
    expect(before).toMatchObject({
      advisories: 2,
      sources: [{ name: 'go', records: 2, newest: '2024-02-01T00:00:00.000Z' }],
    });
    const again = await writeRecords(store.db, [record('GO-1'), record('GO-2')], 'a.json');
    expect(again).toEqual({ written: 2, older: 0, rows: 2 });
    const after = await advisoryStatus(store.db);
    expect(after.sources.map(({ importedAt: _, ...s }) => s)).toEqual(
      before.sources.map(({ importedAt: _, ...s }) => s),
    );
    const rows = await store.db
      .selectFrom('advisories')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    expect(Number(rows?.n)).toBe(2);
    await store.close();
  });

  it('newest record wins: an older modified date does not replace a newer one, a newer one does', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await writeRecords(store.db, [record('GO-1', { title: 'new' })], 'a.json');
    const older = await writeRecords(
      store.db,
      [record('GO-1', { title: 'old', modified: '2023-01-01T00:00:00.000Z' })],
      'b.json',
    );
    expect(older.older).toBe(1);
    expect((await findAdvisories(store.db, { namespace: 'go', package: 'example.com/mod' }))[0]?.title).toBe(
      'new',
    );
    await writeRecords(
      store.db,
      [record('GO-1', { title: 'newer', modified: '2025-01-01T00:00:00.000Z' })],
      'b.json',
    );
    expect((await findAdvisories(store.db, { namespace: 'go', package: 'example.com/mod' }))[0]?.title).toBe(
      'newer',
    );
    await store.close();
  });

  it('keeps rows from other origins (one CVE in several secdb branches), replaces its own', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const secdb = (ns: string, pkg: string, fixed: string) =>
      record('CVE-2024-1', {
        source: 'alpine-secdb',
        format: 'alpine-secdb',
        modified: null,
        aliases: [],
        affected: [
          {
            namespace: ns,
            package: pkg,
            state: 'fixed',
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
            versions: [],
            fixedVersion: fixed,
            severity: [],
          },
        ],
      });
    await writeRecords(store.db, [secdb('apk/alpine/3.10', 'zlib', '1.2.11-r1')], 'v3.10/main.yaml');
    await writeRecords(store.db, [secdb('apk/alpine/3.11', 'zlib', '1.2.11-r3')], 'v3.11/main.yaml');
    await writeRecords(store.db, [secdb('apk/alpine/3.11', 'zlib', '1.2.11-r4')], 'v3.11/main.yaml');
    expect((await advisoryStatus(store.db)).advisories).toBe(1);
    const r310 = await findAdvisories(store.db, {
      namespace: 'apk/alpine/3.10',
      package: 'zlib',
      version: '1.2.11-r0',
    });
    const r311 = await findAdvisories(store.db, {
      namespace: 'apk/alpine/3.11',
      package: 'zlib',
      version: '1.2.11-r3',
    });
    expect(r310.map((m) => m.fixedVersion)).toEqual(['1.2.11-r1']);
    expect(r311.map((m) => m.fixedVersion)).toEqual(['1.2.11-r4']);
    await store.close();
  });

  it('findAdvisories matches by version with the namespace scheme and returns state, fix and severities', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await writeRecords(store.db, [record('GO-1')], 'a.json');
    const q = (version: string) =>
      findAdvisories(store.db, { namespace: 'go', package: 'example.com/mod', version });
    expect((await q('1.1.0')).map((m) => [m.vulnId, m.state, m.fixedVersion])).toEqual([
      ['GO-1', 'fixed', '1.2.0'],
    ]);
    expect(await q('1.2.0')).toEqual([]);
    expect((await q('v1.3.1')).map((m) => m.fixedVersion)).toEqual(['1.3.5']);
    expect(await q('1.3.5')).toEqual([]);
    const [m] = await q('1.0.0');
    expect(m?.severity[0]).toMatchObject({ type: 'CVSS_V3', severity: 'CRITICAL' });
    expect(m?.aliases).toEqual(['CVE-2024-0001']);
    expect((await recordsByAlias(store.db, 'CVE-2024-0001')).map((r) => r.vulnId)).toEqual(['GO-1']);
    await store.close();
  });

  it('imports corpus slices through the importer (Debian DSA list + tracker export, nothing twice)', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    const base = DEBIAN_INPUT;
    const s = await importSources(store.db, [base]);
    expect(s).toMatchObject({ files: 2, added: 10 + 7 });
    const status = await advisoryStatus(store.db);
    expect(Object.fromEntries(status.sources.map((x) => [x.name, x.records]))).toEqual({
      'debian-dsa': 10,
      'debian-tracker': 7,
    });
    const again = await importSources(store.db, [base]);
    expect(again.added).toBe(0);
    expect((await advisoryStatus(store.db)).advisories).toBe(17);
    const eol = await findAdvisories(store.db, {
      namespace: 'deb/debian/10',
      package: 'chromium',
      version: '89.0.4389.114-1~deb10u1',
    });
    expect(eol.map((m) => [m.vulnId, m.state])).toEqual([['CVE-2022-0456', 'end_of_life']]);
    const never = await findAdvisories(store.db, {
      namespace: 'deb/debian/10',
      package: 'prototypejs',
      version: '1.7.1-3',
      includeNotAffected: true,
    });
    expect(never.find((m) => m.vulnId === 'CVE-2007-2383')?.state).toBe('not_affected');
    await store.close();
  });

  it('advisoriesByPackage answers many names at once as findAdvisories answers each', async () => {
    database = await freshDatabase(dialect);
    const store = await database.open();
    await importSources(store.db, [DEBIAN_INPUT]);
    const stored = await store.db
      .selectFrom('advisories')
      .select(['namespace', 'package'])
      .distinct()
      .execute();
    const byNamespace = new Map<string, string[]>();
    for (const r of stored)
      byNamespace.set(r.namespace, [...(byNamespace.get(r.namespace) ?? []), r.package]);
    expect(byNamespace.size).toBeGreaterThan(0);
    for (const [namespace, present] of byNamespace) {
      // more names than one statement asks for, most of them absent, as in a large image
      const absent = Array.from({ length: 1200 }, (_, i) => `no-such-package-${i}`);
      const names = [...absent.slice(0, 600), ...present, ...absent.slice(600)];
      const many = await advisoriesByPackage(store.db, namespace, names);
      expect([...many.keys()].sort()).toEqual([...present].sort());
      for (const name of present)
        expect(many.get(name)).toEqual(await findAdvisories(store.db, { namespace, package: name }));
    }
    await store.close();
  });
});

describe('query plan', () => {
  it('reads advisories through the (namespace, package) index, not a table scan', async () => {
    const database = await freshDatabase('sqlite');
    const store = await database.open();
    const compiled = store.db
      .selectFrom('advisories as a')
      .innerJoin('advisory_records as r', 'r.id', 'a.record_id')
      .selectAll()
      .where('a.namespace', '=', 'go')
      .where('a.package', '=', 'x')
      .compile();
    const plan = await sql.raw(`EXPLAIN QUERY PLAN ${compiled.sql.replace(/\?/g, "'x'")}`).execute(store.db);
    const text = JSON.stringify(plan.rows);
    expect(text).toMatch(/USING INDEX advisories_lookup/);
    expect(text).not.toMatch(/SCAN a\b/);
    await store.close();
    await database.dispose();
  });
});

describe('fixed version of requirement ranges', () => {
  it('is the lowest patched floor above the installed version', async () => {
    const database = await freshDatabase('sqlite');
    const store = await database.open();
    await writeRecords(
      store.db,
      [
        record('RUSTSEC-2021-0003', {
          source: 'rustsec',
          affected: [
            {
              namespace: 'cargo',
              package: 'smallvec',
              state: 'fixed',
              ranges: [{ type: 'REQUIREMENTS', unaffected: ['>= 0.6.14, < 1.0.0', '>= 1.6.1'] }],
              versions: [],
              fixedVersion: '0.6.14',
              severity: [],
            },
          ],
        }),
      ],
      'x.md',
    );
    const q = (version: string) =>
      findAdvisories(store.db, { namespace: 'cargo', package: 'smallvec', version });
    expect((await q('1.6.0')).map((m) => m.fixedVersion)).toEqual(['1.6.1']);
    expect((await q('0.6.10')).map((m) => m.fixedVersion)).toEqual(['0.6.14']);
    expect(await q('1.6.1')).toEqual([]);
    await store.close();
    await database.dispose();
  });
});

describe.each(DIALECTS)('alias index on %s', (dialect) => {
  it('an import writes each record with its aliases', async () => {
    const database = await freshDatabase(dialect);
    const store = await database.open();
    await importSources(store.db, [join(DEBIAN_INPUT, 'DSA')]);
    const hits = await recordsByAlias(store.db, 'CVE-2002-0660');
    expect(hits.map((h) => [h.source, h.vulnId])).toEqual([['debian-dsa', 'DSA-140']]);
    const n = await store.db
      .selectFrom('advisory_aliases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirst();
    expect(Number(n?.n)).toBeGreaterThan(5);
    await store.close();
    await database.dispose();
  });

  it("replaces a record's alias set on update, and the newest of one id in one input wins", async () => {
    const database = await freshDatabase(dialect);
    const store = await database.open();
    await writeRecords(store.db, [record('GO-1', { aliases: ['CVE-2024-0001', 'GHSA-old'] })], 'a.json');
    await writeRecords(
      store.db,
      [record('GO-1', { aliases: ['CVE-2024-0001'], modified: '2024-03-01T00:00:00.000Z' })],
      'a.json',
    );
    expect(await recordsByAlias(store.db, 'GHSA-old')).toEqual([]);
    expect((await recordsByAlias(store.db, 'CVE-2024-0001')).map((h) => h.vulnId)).toEqual(['GO-1']);
    // the newer comes first in the file: it still wins over the older after it
    await writeRecords(
      store.db,
      [
        record('GO-2', { title: 'newer', modified: '2024-05-01T00:00:00.000Z' }),
        record('GO-2', { title: 'older', modified: '2024-04-01T00:00:00.000Z' }),
      ],
      'b.json',
    );
    const hits = await recordsByAlias(store.db, 'GO-2');
    expect(hits.map((h) => h.title)).toEqual(['newer']);
    await store.close();
    await database.dispose();
  });
});
