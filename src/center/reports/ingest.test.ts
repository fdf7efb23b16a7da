import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../store/test-support/dialects.js';
import { createAlertTriage } from '../alerts/triage.js';
import { CenterError } from '../errors.js';
import { containerKey, daemonKey, hostKey, imageKey } from '../inventory/keys.js';
import { createPackageQueries } from '../packages/service.js';
import { createFindingQueries } from '../results/service.js';
import {
  ADMIN,
  agent,
  openTestCenter,
  resource,
  type TestCenter,
  tableCounts,
} from '../test-support/center.js';
import {
  CONFIG_DIGEST,
  dockerBenchmark,
  HOST,
  hostInventory,
  imageScan,
  MANIFEST_DIGEST,
  runtimeAlerts,
} from '../test-support/documents.js';
import { canonicalJson } from './canonical.js';
import { fileResources } from './filing.js';
import { defineKind, type ReportKind } from './kind.js';
import { REPORT_KINDS } from './kinds/index.js';
import { createReportService } from './service.js';

const IMAGE = imageKey(MANIFEST_DIGEST);
const A = { id: 'a'.repeat(64), name: 'web' };
const B = { id: 'b'.repeat(64), name: 'db' };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CenterError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe.each(DIALECTS)('report ingest on %s', (dialect) => {
  let c: TestCenter;
  beforeEach(async () => {
    c = await openTestCenter(dialect);
  });
  afterEach(async () => c.dispose());

  it('finds packages and their findings by name or purl in every ecosystem, with or without a package list', async () => {
    const reports = createReportService(c.deps);
    const jackson = {
      name: 'com.fasterxml.jackson.core:jackson-databind',
      version: '2.9.1',
      type: 'maven',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
    };
    const babel = { name: '@babel/core', version: '7.0.0', type: 'npm', purl: 'pkg:npm/%40babel/core@7.0.0' };
    const doc = imageScan([{ id: 'CVE-2026-1' }, { id: 'CVE-2026-2' }]);
    doc.vulnerabilities[0]!.package = jackson;
    doc.vulnerabilities[1]!.package = babel;
    // pushed without its package list: the findings' packages are the image's packages
    const { packages: _listed, ...withoutList } = doc;
    await reports.ingest(ADMIN, withoutList);
    const packages = createPackageQueries(c.deps);
    const findings = createFindingQueries(c.deps);
    for (const p of [jackson, babel]) {
      expect((await packages.find({ purl: p.purl })).items.map((u) => u.name)).toEqual([p.name]);
      expect((await packages.find({ name: p.name })).items.map((u) => u.purl)).toEqual([p.purl]);
      expect((await findings.list({ package: p.purl })).items.map((f) => f.package.name)).toEqual([p.name]);
      expect((await findings.list({ package: p.name })).total).toBe(1);
    }
    expect((await packages.find({ purl: 'pkg:maven/org.other/jackson-databind@2.9.1' })).total).toBe(0);
    expect((await findings.list({ package: 'jackson-databind' })).total).toBe(0);
  });

  it('files an image scan under registry → repository → image and the same document twice changes nothing', async () => {
    const reports = createReportService(c.deps);
    const doc = imageScan([{ id: 'CVE-2026-1' }, { id: 'CVE-2026-2', severity: 'CRITICAL' }]);
    const first = await reports.ingest(ADMIN, doc);
    expect(first).toMatchObject({ kind: 'ImageScan', resources: 3, duplicate: false });
    const image = await resource(c.store, IMAGE);
    expect(image).toMatchObject({
      type: 'image',
      health: 'unhealthy',
      parent_key: 'repository:registry.example:5000/team/web',
    });
    expect(JSON.parse(image!.counts).findings).toMatchObject({ HIGH: 1, CRITICAL: 1 });
    expect((await resource(c.store, 'registry:registry.example:5000'))?.health).toBe('unhealthy');
    // kept compressed, and given back as its canonical text
    const text = await reports.document(first.id);
    expect(text).toBe(canonicalJson(doc));
    const stored = await c.store.db
      .selectFrom('center_reports')
      .select(['body', 'body_deflated'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(stored.body).toBe('');
    expect(stored.body_deflated!.length).toBeLessThan(text.length / 2);
    await expect(reports.document(first.id + 1000)).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_REPORT_NOT_FOUND',
    });
    // a report received before migration 0015 kept its text
    const older = await c.store.db
      .insertInto('center_reports')
      .values({
        digest: 'older',
        kind: 'ImageScan',
        engine: 'image-scan',
        scope_key: null,
        received_at: '2026-01-01T00:00:00.000Z',
        principal: '{}',
        summary: '{}',
        body: '{"kind":"ImageScan"}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await reports.document(Number(older.id))).toBe('{"kind":"ImageScan"}');
    await c.store.db.deleteFrom('center_reports').where('id', '=', older.id).execute();
    const before = await tableCounts(c.store);
    const rowsBefore = await c.store.db.selectFrom('center_findings').selectAll().orderBy('id').execute();
    c.setNow('2026-03-02T10:00:00.000Z');
    const again = await reports.ingest(ADMIN, JSON.parse(JSON.stringify(doc)));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await tableCounts(c.store)).toEqual(before);
    expect(await c.store.db.selectFrom('center_findings').selectAll().orderBy('id').execute()).toEqual(
      rowsBefore,
    );
    expect(before).toMatchObject({ center_reports: 1, center_findings: 2, center_packages: 1 });
    expect((await reports.get(first.id)).resources).toBe(3);
    expect((await reports.list({})).items.map((r) => r.id)).toEqual([first.id]);
  });

  it('replaces what the last scan said: new open, present seen, absent resolved, back again re-opened', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-1' }, { id: 'CVE-2' }]));
    c.setNow('2026-03-02T10:00:00.000Z');
    await reports.ingest(
      ADMIN,
      imageScan([{ id: 'CVE-2' }, { id: 'CVE-3' }], { generatedAt: '2026-03-02T09:00:00.000Z' }),
    );
    const rows = await c.store.db.selectFrom('center_findings').selectAll().orderBy('vuln_id').execute();
    expect(
      rows.map((r) => [
        r.vuln_id,
        r.state,
        r.first_seen.slice(0, 10),
        r.last_seen.slice(0, 10),
        r.resolved_at?.slice(0, 10) ?? null,
      ]),
    ).toEqual([
      ['CVE-1', 'resolved', '2026-03-01', '2026-03-01', '2026-03-02'],
      ['CVE-2', 'open', '2026-03-01', '2026-03-02', null],
      ['CVE-3', 'open', '2026-03-02', '2026-03-02', null],
    ]);
    c.setNow('2026-03-03T10:00:00.000Z');
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-1' }], { generatedAt: '2026-03-03T09:00:00.000Z' }));
    const back = await c.store.db
      .selectFrom('center_findings')
      .selectAll()
      .where('vuln_id', '=', 'CVE-1')
      .executeTakeFirstOrThrow();
    expect(back).toMatchObject({ state: 'open', first_seen: '2026-03-01T10:00:00.000Z', resolved_at: null });
    c.setNow('2026-03-04T10:00:00.000Z');
    await reports.ingest(ADMIN, imageScan([], { generatedAt: '2026-03-04T09:00:00.000Z' }));
    expect((await resource(c.store, IMAGE))?.health).toBe('healthy');
    expect((await resource(c.store, 'registry:registry.example:5000'))?.health).toBe('healthy');
  });

  it('an image scan without advisory coverage (healthy null) leaves the image not assessed', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, imageScan([], { healthy: null }));
    expect((await resource(c.store, IMAGE))?.health).toBe('not_assessed');
    await reports.ingest(ADMIN, imageScan([], { healthy: true }));
    expect((await resource(c.store, IMAGE))?.health).toBe('healthy');
    // a later scan that could not tell takes the assessment back
    await reports.ingest(ADMIN, imageScan([], { healthy: null, generatedAt: '2026-03-01T09:30:00.000Z' }));
    expect((await resource(c.store, IMAGE))?.health).toBe('not_assessed');
  });

  it('takes the secrets and licences of a scan with vuln, and refuses a scan without vuln, closing nothing', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-2026-1' }]));
    const withMore = {
      ...imageScan([{ id: 'CVE-2026-1' }], { generatedAt: '2026-03-01T09:30:00.000Z' }),
      scanners: ['vuln', 'secret', 'license'],
      secrets: [
        { rule: 'private-key', severity: 'HIGH', path: '/root/.ssh/id_rsa', line: 2, match: 'MIIC****' },
      ],
      licenses: [{ package: 'openssl', license: 'Apache-2.0', classification: 'allowed' }],
    };
    expect(await reports.ingest(ADMIN, withMore)).toMatchObject({ kind: 'ImageScan', duplicate: false });
    const secretsOnly = {
      ...imageScan([], { generatedAt: '2026-03-01T10:30:00.000Z' }),
      scanners: ['secret'],
      secrets: [],
    };
    expect(await codeOf(reports.ingest(ADMIN, secretsOnly))).toMatch(
      /^BULKHEAD_ERR_REPORT_INVALID: report invalid at scanners: the center files vulnerability scans/,
    );
    const open = await c.store.db.selectFrom('center_findings').select('vuln_id').execute();
    expect(open.map((f) => f.vuln_id)).toEqual(['CVE-2026-1']);
  });

  it('a second complete benchmark without a container resolves that container only; the host stays filed', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, hostInventory([A, B]));
    await reports.ingest(ADMIN, dockerBenchmark([A, B], [A.id, B.id]));
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).toBe('unhealthy');
    expect((await resource(c.store, hostKey(HOST)))?.health).toBe('unhealthy');
    expect((await resource(c.store, daemonKey(HOST)))?.health).toBe('unhealthy');
    c.setNow('2026-03-02T10:00:00.000Z');
    await reports.ingest(ADMIN, dockerBenchmark([A], [A.id], { generatedAt: '2026-03-02T09:00:00.000Z' }));
    const results = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('control', '=', 'CIS-DOCKER-5.4')
      .orderBy('resource_key')
      .execute();
    expect(results.map((r) => [r.resource_key, r.state, r.resolved_at])).toEqual([
      [containerKey(HOST, A.id), 'open', null],
      [containerKey(HOST, B.id), 'resolved', '2026-03-02T10:00:00.000Z'],
    ]);
    expect(results[0]!.first_seen).toBe('2026-03-01T10:00:00.000Z');
    expect(await resource(c.store, containerKey(HOST, B.id))).toMatchObject({
      removed_at: '2026-03-02T10:00:00.000Z',
    });
    expect(await resource(c.store, containerKey(HOST, A.id))).toMatchObject({
      removed_at: null,
      health: 'unhealthy',
    });
    const daemon = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('control', '=', 'CIS-DOCKER-2.1')
      .executeTakeFirstOrThrow();
    expect(daemon).toMatchObject({
      resource_key: daemonKey(HOST),
      state: 'open',
      last_seen: '2026-03-02T10:00:00.000Z',
    });
    const pass = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('control', '=', 'CIS-DOCKER-1.1.1')
      .executeTakeFirstOrThrow();
    expect(pass).toMatchObject({ resource_key: hostKey(HOST), state: 'passed', status: 'pass' });
  });

  it('a complete host inventory without a container removes it and resolves its results', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, dockerBenchmark([A, B], [A.id, B.id]));
    c.setNow('2026-03-02T10:00:00.000Z');
    await reports.ingest(ADMIN, hostInventory([A]));
    const b = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('resource_key', '=', containerKey(HOST, B.id))
      .execute();
    expect(b.map((r) => [r.state, r.resolved_at])).toEqual([['resolved', '2026-03-02T10:00:00.000Z']]);
    const a = await c.store.db
      .selectFrom('center_control_results')
      .selectAll()
      .where('resource_key', '=', containerKey(HOST, A.id))
      .execute();
    expect(a.map((r) => r.state)).toEqual(['open']);
  });

  it('links a container to its image whether the image arrives before or after it', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(ADMIN, hostInventory([A]));
    expect((await resource(c.store, containerKey(HOST, A.id)))?.image_key).toBeNull();
    await reports.ingest(ADMIN, imageScan([{ id: 'CVE-1' }]));
    expect((await resource(c.store, containerKey(HOST, A.id)))?.image_key).toBe(IMAGE);
    await reports.ingest(ADMIN, hostInventory([A, B], { generatedAt: '2026-03-01T09:30:00.000Z' }));
    expect((await resource(c.store, containerKey(HOST, B.id)))?.image_key).toBe(IMAGE);
    expect((await resource(c.store, containerKey(HOST, B.id)))?.image_ref).toBe(CONFIG_DIGEST);
  });

  it('refuses an agent reporting outside its scope, and takes it inside', async () => {
    const reports = createReportService(c.deps);
    expect(await codeOf(reports.ingest(agent('host:elsewhere'), dockerBenchmark([A], [])))).toMatch(
      /^BULKHEAD_ERR_SCOPE_FORBIDDEN: .*host:node-1/,
    );
    expect(await tableCounts(c.store)).toMatchObject({ center_reports: 0, center_resources: 0 });
    await expect(reports.ingest(agent('host:node-1'), dockerBenchmark([A], []))).resolves.toMatchObject({
      duplicate: false,
    });
    expect(await codeOf(reports.ingest({ ...ADMIN, role: 'viewer' }, dockerBenchmark([A], [])))).toMatch(
      /^BULKHEAD_ERR_FORBIDDEN/,
    );
  });

  it('refuses unknown kinds, malformed JSON, invalid documents and missing scopes, storing nothing', async () => {
    const reports = createReportService(c.deps);
    expect(await codeOf(reports.ingest(ADMIN, { schemaVersion: 1, kind: 'Nonsense' }))).toMatch(
      /^BULKHEAD_ERR_REPORT_KIND_UNKNOWN: report kind "Nonsense"/,
    );
    expect(await codeOf(reports.ingest(ADMIN, '{"kind": "ImageScan",'))).toMatch(
      /^BULKHEAD_ERR_BODY_MALFORMED/,
    );
    expect(await codeOf(reports.ingest(ADMIN, [1, 2]))).toMatch(/^BULKHEAD_ERR_REPORT_INVALID/);
    // PostgreSQL text cannot hold U+0000; recursive walks overflow on absurd nesting: both refused up front
    expect(await codeOf(reports.ingest(ADMIN, imageScan([{ id: 'CVE-1\u0000' }])))).toMatch(
      /^BULKHEAD_ERR_REPORT_INVALID: report invalid at vulnerabilities\[0\]\.id: contains a NUL character/,
    );
    expect(
      await codeOf(
        reports.ingest(
          ADMIN,
          `{"schemaVersion":1,"kind":"ImageScan","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        ),
      ),
    ).toMatch(
      /^BULKHEAD_ERR_REPORT_INVALID: report invalid at x\[0\]\[0\][[\]0]*…: nests deeper than 64 levels/,
    );
    const bad = imageScan([{ id: 'CVE-1' }]);
    (bad.vulnerabilities[0] as { severity: string }).severity = 'SEVERE';
    expect(await codeOf(reports.ingest(ADMIN, bad))).toMatch(
      /^BULKHEAD_ERR_REPORT_INVALID: report invalid at vulnerabilities\[0\]\.severity/,
    );
    const { origin: _o, ...noOrigin } = dockerBenchmark([A], []);
    expect(await codeOf(reports.ingest(ADMIN, { ...noOrigin, host: {} }))).toMatch(
      /^BULKHEAD_ERR_REPORT_INVALID: report invalid at origin\.host/,
    );
    expect(
      await codeOf(reports.ingest(ADMIN, { schemaVersion: 1, kind: 'KubernetesScan', results: [] })),
    ).toMatch(/origin\.cluster/);
    expect(await tableCounts(c.store)).toMatchObject({
      center_reports: 0,
      center_resources: 0,
      center_findings: 0,
    });
  });

  it('a failure half-way through filing leaves nothing of the report', async () => {
    const failing = defineKind<{ kind: string }>({
      ...(REPORT_KINDS.find((k) => k.kind === 'HostInventory')! as ReportKind<{ kind: string }>),
      apply: async (doc, ctx) => {
        await REPORT_KINDS.find((k) => k.kind === 'HostInventory')!.apply(doc, ctx);
        await fileResources(ctx, [
          { key: 'host:other', family: 'hosts', type: 'host', name: 'other', parent: null },
        ]);
        throw new Error('disk on fire');
      },
    });
    const reports = createReportService(c.deps, { kinds: [failing] });
    await expect(reports.ingest(ADMIN, hostInventory([A]))).rejects.toThrow('disk on fire');
    expect(await tableCounts(c.store)).toMatchObject({ center_reports: 0, center_resources: 0 });
  });

  it('accepts older documents without engine, origin or assessed where they can be filed', async () => {
    const reports = createReportService(c.deps);
    const { engine: _e, origin: _o, assessed: _a, complete: _c, ...old } = dockerBenchmark([A], [A.id]);
    await expect(reports.ingest(ADMIN, old)).resolves.toMatchObject({ resources: 3 });
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).toBe('unhealthy');
    const scan = imageScan([{ id: 'CVE-1' }]);
    const { engine: _e2, origin: _o2, assessed: _a2, complete: _c2, packages: _p, ...oldScan } = scan;
    const r = await reports.ingest(ADMIN, {
      ...oldScan,
      artifact: { digest: CONFIG_DIGEST },
      target: 'nginx:1.25',
      generatedAt: 'x',
    });
    expect(r.resources).toBe(3);
    expect(await resource(c.store, 'repository:docker.io/library/nginx')).toBeDefined();
  });

  it('keeps the larger count and the later last sighting of an alert pushed twice; triage changes its state', async () => {
    const reports = createReportService(c.deps);
    await reports.ingest(
      ADMIN,
      runtimeAlerts([
        {
          rule: 'R1',
          container: A.id,
          firstSeen: '2026-03-01T08:00:00Z',
          lastSeen: '2026-03-01T08:10:00Z',
          count: 5,
        },
      ]),
    );
    await reports.ingest(
      ADMIN,
      runtimeAlerts([
        {
          rule: 'R1',
          container: A.id,
          firstSeen: '2026-03-01T08:00:00Z',
          lastSeen: '2026-03-01T08:05:00Z',
          count: 3,
        },
      ]),
    );
    await reports.ingest(
      ADMIN,
      runtimeAlerts([
        {
          rule: 'R1',
          container: A.id,
          firstSeen: '2026-03-01T08:00:00Z',
          lastSeen: '2026-03-01T08:20:00Z',
          count: 4,
        },
      ]),
    );
    const rows = await c.store.db.selectFrom('center_alerts').selectAll().execute();
    expect(rows.map((r) => [r.count, r.last_seen, r.state])).toEqual([[5, '2026-03-01T08:20:00Z', 'new']]);
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).toBe('unhealthy');
    const triage = createAlertTriage(c.deps);
    expect(await codeOf(triage.update(ADMIN, rows[0]!.id, { state: 'dismissed' }))).toMatch(
      /^BULKHEAD_ERR_VALIDATION/,
    );
    expect(await codeOf(triage.update(ADMIN, 999_999, { state: 'acknowledged' }))).toMatch(
      /^BULKHEAD_ERR_ALERT_NOT_FOUND/,
    );
    c.setNow('2026-03-02T10:00:00.000Z');
    const resolved = await triage.update(ADMIN, rows[0]!.id, { state: 'resolved', assignee: 'ops' });
    expect(resolved).toMatchObject({
      state: 'resolved',
      assignee: 'ops',
      resolvedAt: '2026-03-02T10:00:00.000Z',
      count: 5,
    });
    expect((await resource(c.store, containerKey(HOST, A.id)))?.health).not.toBe('unhealthy');
    const audit = await c.store.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.map((a) => [a.action, a.target, a.actor_id])).toEqual([
      ['alert.update', `alert:${rows[0]!.id}`, ADMIN.id],
    ]);
  });
});
