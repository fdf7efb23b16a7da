import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { toJsonColumn } from '../store/json-column.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import type { CenterDeps } from './deps.js';
import { createInventoryQueries } from './inventory/service.js';
import { createAlertQueries, createFindingQueries } from './results/service.js';
import { seedAlert, seedFinding, seedResource } from './test-support/factories.js';
import type { JsonText, Page, PageQuery } from './types.js';

const IMAGE = `image:sha256:${'a'.repeat(64)}`;
const TRICKY = 'quote " backslash \\ newline \n tab \t bell \u0007 nul-ish \u001f é 😀 \u2028 </script>';

/**
 * Rows that exercise every member kind of the JSON the database writes: members left out when NULL and present
 * when not, NULL members written as null, JSON columns spliced (nested, empty, partial counts completed), and
 * strings that need escaping.
 */
async function seed(store: Store): Promise<void> {
  await seedResource(store, { key: 'registry:r.example:5000', name: TRICKY });
  await seedResource(store, { key: 'repository:r.example:5000/app', parent: 'registry:r.example:5000' });
  await seedResource(store, {
    key: IMAGE,
    name: 'r.example:5000/app:1',
    parent: 'repository:r.example:5000/app',
    health: 'unhealthy',
    attributes: { repoTags: ['app:1', TRICKY], nested: { deep: [1, 2.5, null, true] }, empty: {} },
    counts: { controls: { LOW: 3 }, alerts: 2 },
  });
  await seedResource(store, { key: 'host:h1', health: 'not_assessed', removed: true });
  await seedResource(store, { key: 'container:h1/c1', parent: 'host:h1', image: IMAGE, lastSeen: TRICKY });
  for (const [i, severity] of (['CRITICAL', 'HIGH', 'HIGH', 'LOW', 'UNKNOWN', 'MEDIUM'] as const).entries())
    await seedFinding(store, {
      resource: IMAGE,
      vuln: `CVE-2026-000${i}`,
      aliases: i % 2 === 0 ? [`GHSA-${i}`, TRICKY] : [],
      severity,
      state: i === 3 ? 'excepted' : i === 4 ? 'resolved' : 'open',
      firstSeen: `2026-11-0${i + 1}T00:00:00.000Z`,
    });
  const findings = store.db.updateTable('center_findings');
  await findings
    .set({ title: null, fixed_version: '1.2.3' })
    .where('vuln_id', '=', 'CVE-2026-0001')
    .execute();
  await findings.set({ title: TRICKY, remediation: TRICKY }).where('vuln_id', '=', 'CVE-2026-0002').execute();
  await seedAlert(store, { resource: 'container:h1/c1', rule: 'RT-DKR-01', severity: 'HIGH' });
  await seedAlert(store, { resource: 'container:h1/c1', rule: 'RT-DKR-02', state: 'dismissed' });
  await seedAlert(store, { resource: IMAGE, rule: 'RT-DKR-03', severity: 'LOW' });
  const alerts = store.db.updateTable('center_alerts');
  await alerts
    .set({
      technique: 'T1059',
      assignee: TRICKY,
      reason: 'tested',
      count: 7,
      evidence: toJsonColumn({ a: [TRICKY] }),
    })
    .where('rule', '=', 'RT-DKR-01')
    .execute();
  await alerts.set({ title: null, evidence: '' }).where('rule', '=', 'RT-DKR-02').execute();
}

interface Lists<Q> {
  list(query: Q): Promise<Page<unknown>>;
  listJson(query: Q): Promise<Page<JsonText>>;
}

/** Every page of both forms, walked by their own cursors: the texts read back as the presenters' views, in order. */
async function expectSame<Q extends PageQuery>(lists: Lists<Q>, query: Q): Promise<number> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const q = { ...query, ...(cursor ? { cursor } : {}) };
    const [views, texts] = await Promise.all([lists.list(q), lists.listJson(q)]);
    expect(texts.total).toBe(views.total);
    expect(texts.next).toBe(views.next);
    // the same members in the same order with the same values: compared as canonical text
    expect(texts.items.map((t) => JSON.stringify(JSON.parse(t)))).toEqual(
      views.items.map((v) => JSON.stringify(v)),
    );
    seen += texts.items.length;
    cursor = views.next ?? undefined;
  } while (cursor);
  return seen;
}

describe.each(DIALECTS)('lists written as JSON by the database on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let deps: CenterDeps;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    deps = { store, clock: () => new Date('2026-12-07T10:00:00.000Z') };
    await seed(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('writes findings as presentFinding does, over every sort and page', async () => {
    const findings = createFindingQueries(deps);
    for (const sort of ['-severity', 'severity', 'firstSeen', '-lastSeen', 'id'])
      expect(await expectSame(findings, { sort, limit: 2 })).toBe(6);
    expect(await expectSame(findings, { resource: IMAGE, state: 'open', limit: 50 })).toBe(4);
    const [first] = (await findings.listJson({ sort: 'id', limit: 1 })).items;
    expect(JSON.parse(first!)).toMatchObject({ aliases: ['GHSA-0', TRICKY], package: { name: 'openssl' } });
  });

  it('writes alerts as presentAlert does: a missing title is the rule, a missing evidence is {}', async () => {
    const alerts = createAlertQueries(deps);
    for (const sort of ['-severity', 'count', '-count', 'lastSeen'])
      expect(await expectSame(alerts, { sort, limit: 2 })).toBe(3);
    const texts = (await alerts.listJson({ sort: 'id' })).items.map((t) => JSON.parse(t));
    expect(texts[0]).toMatchObject({
      technique: 'T1059',
      assignee: TRICKY,
      count: 7,
      evidence: { a: [TRICKY] },
    });
    expect(texts[1]).toMatchObject({ title: 'RT-DKR-02', evidence: {} });
    expect(texts[1]).not.toHaveProperty('technique');
  });

  it('writes resources as presentResource does, counts completed with every severity', async () => {
    const inventory = createInventoryQueries(deps);
    for (const sort of ['name', '-key', 'type', 'health', 'firstSeen', '-lastSeen'])
      expect(await expectSame(inventory, { sort, limit: 2, removed: true })).toBe(5);
    expect(await expectSame(inventory, { family: 'registries', health: 'unhealthy' })).toBe(1);
    const image = (await inventory.listJson({ type: 'image' })).items.map((t) => JSON.parse(t))[0];
    expect(image.counts).toEqual({
      findings: { CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 0, UNKNOWN: 0 },
      controls: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 3, UNKNOWN: 0 },
      alerts: 2,
      unhealthyChildren: 0,
    });
    expect(image.attributes.nested).toEqual({ deep: [1, 2.5, null, true] });
  });
});
