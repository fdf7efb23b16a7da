import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScoreSnapshot } from '../store/center-score-snapshots.js';
import type { Store } from '../store/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { createComplianceService } from './compliance/service.js';
import type { CenterDeps } from './deps.js';
import { createInventoryQueries } from './inventory/service.js';
import { createImageVerdicts, createPackageQueries } from './packages/service.js';
import { createRecommendationService } from './recommendations/service.js';
import { createAlertQueries, createControlResultQueries, createFindingQueries } from './results/service.js';
import { createScoreService } from './score/service.js';
import {
  seedAlert,
  seedControlResult,
  seedFinding,
  seedPackage,
  seedResource,
} from './test-support/factories.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const D = `sha256:${'d'.repeat(64)}`;
const CONFIG_A = `sha256:${'e'.repeat(64)}`;

/**
 * A small center: one registry with four images (unhealthy, healthy, never assessed, only excepted findings), one
 * Docker host with four containers (one removed), one cluster with two workloads and an RBAC object. The secure
 * score below is computed by hand from these rows.
 */
async function seed(store: Store): Promise<void> {
  await seedResource(store, { key: 'registry:docker.io' });
  await seedResource(store, { key: 'repository:docker.io/library/nginx', parent: 'registry:docker.io' });
  const repo = 'repository:docker.io/library/nginx';
  await seedResource(store, {
    key: `image:${A}`,
    name: 'nginx:1.25',
    parent: repo,
    health: 'unhealthy',
    attributes: { configDigest: CONFIG_A, repoTags: ['nginx:1.25'] },
  });
  await seedResource(store, { key: `image:${B}`, name: 'nginx:1.27', parent: repo });
  await seedResource(store, { key: `image:${C}`, name: 'nginx:old', parent: repo, health: 'not_assessed' });
  await seedResource(store, { key: `image:${D}`, name: 'nginx:accepted', parent: repo });
  await seedFinding(store, {
    resource: `image:${A}`,
    vuln: 'CVE-2024-0001',
    aliases: ['GHSA-aaaa'],
    severity: 'CRITICAL',
  });
  await seedFinding(store, {
    resource: `image:${A}`,
    vuln: 'CVE-2024-0002',
    pkg: 'zlib',
    version: '1.2',
    severity: 'HIGH',
  });
  await seedFinding(store, {
    resource: `image:${A}`,
    vuln: 'CVE-2024-0003',
    severity: 'LOW',
    state: 'excepted',
  });
  await seedFinding(store, {
    resource: `image:${B}`,
    vuln: 'CVE-2023-9999',
    severity: 'MEDIUM',
    state: 'resolved',
  });
  await seedFinding(store, {
    resource: `image:${D}`,
    vuln: 'CVE-2024-0004',
    severity: 'HIGH',
    state: 'excepted',
  });
  await seedPackage(store, { image: `image:${A}`, name: 'openssl', version: '3.0.0' });
  await seedPackage(store, { image: `image:${B}`, name: 'openssl', version: '3.0.1' });
  await seedPackage(store, { image: `image:${C}`, name: 'zlib', version: '1.2' });

  await seedResource(store, { key: 'host:h1', health: 'unhealthy' });
  await seedResource(store, { key: 'daemon:h1', parent: 'host:h1', health: 'unhealthy' });
  await seedResource(store, {
    key: 'container:h1/c1',
    name: 'web',
    parent: 'daemon:h1',
    image: `image:${A}`,
    health: 'unhealthy',
  });
  await seedResource(store, {
    key: 'container:h1/c2',
    name: 'api',
    parent: 'daemon:h1',
    image: `image:${B}`,
  });
  await seedResource(store, {
    key: 'container:h1/c3',
    name: 'gone',
    parent: 'daemon:h1',
    image: `image:${C}`,
    removed: true,
  });
  await seedResource(store, { key: 'container:h1/c4', name: 'tolerated', parent: 'daemon:h1' });
  await seedControlResult(store, {
    resource: 'host:h1',
    engine: 'docker-benchmark',
    control: '1.1.1',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'daemon:h1',
    engine: 'docker-benchmark',
    control: '2.1',
    status: 'fail',
  });
  await seedControlResult(store, {
    resource: 'daemon:h1',
    engine: 'docker-benchmark',
    control: '2.2',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c1',
    engine: 'docker-benchmark',
    control: '5.5',
    status: 'fail',
    severity: 'CRITICAL',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c2',
    engine: 'docker-benchmark',
    control: '5.5',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c3',
    engine: 'docker-benchmark',
    control: '5.5',
    status: 'fail',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c4',
    engine: 'docker-benchmark',
    control: '5.5',
    status: 'fail',
    state: 'excepted',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c1',
    engine: 'docker-benchmark',
    control: '4.1',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'container:h1/c2',
    engine: 'docker-benchmark',
    control: '4.1',
    status: 'not_applicable',
  });
  await seedAlert(store, { resource: 'container:h1/c1', rule: 'RT-DKR-01', severity: 'HIGH' });
  await seedAlert(store, {
    resource: 'container:h1/c1',
    rule: 'RT-DKR-02',
    severity: 'LOW',
    state: 'dismissed',
  });
  await seedAlert(store, { resource: 'container:h1/c2', rule: 'RT-DKR-01', severity: 'CRITICAL' });

  await seedResource(store, { key: 'cluster:prod', health: 'unhealthy' });
  await seedResource(store, { key: 'namespace:prod/default', parent: 'cluster:prod', health: 'unhealthy' });
  const ns = 'namespace:prod/default';
  await seedResource(store, {
    key: 'workload:prod/default/Deployment/web',
    parent: ns,
    image: `image:${B}`,
    health: 'unhealthy',
  });
  await seedResource(store, { key: 'workload:prod/default/Deployment/api', parent: ns });
  await seedResource(store, {
    key: 'object:prod/_cluster/ClusterRoleBinding/x',
    parent: 'cluster:prod',
    health: 'unhealthy',
  });
  const web = 'workload:prod/default/Deployment/web';
  await seedControlResult(store, {
    resource: web,
    engine: 'k8s-scan',
    control: 'K8S-POD-01',
    status: 'fail',
    subject: 'spec.containers[0]',
  });
  await seedControlResult(store, {
    resource: web,
    engine: 'admission-audit',
    control: 'K8S-POD-01',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'workload:prod/default/Deployment/api',
    engine: 'k8s-scan',
    control: 'K8S-POD-01',
    status: 'pass',
  });
  await seedControlResult(store, {
    resource: 'object:prod/_cluster/ClusterRoleBinding/x',
    engine: 'k8s-scan',
    control: 'K8S-RBAC-01',
    status: 'fail',
  });
}

describe.each(DIALECTS)('center read side on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let now = new Date('2026-12-07T10:00:00.000Z');
  let deps: CenterDeps;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    deps = { store, clock: () => now };
    await seed(store);
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  it('lists resources by family, health, parent, search and removed, and pages them with a cursor', async () => {
    const inventory = createInventoryQueries(deps);
    const registries = await inventory.list({ family: 'registries' });
    expect(registries.total).toBe(6);
    expect(registries.items.map((r) => r.key)).toContain(`image:${A}`);
    const unhealthyImages = await inventory.list({
      family: 'registries',
      type: 'image',
      health: 'unhealthy',
    });
    expect(unhealthyImages.items.map((r) => r.key)).toEqual([`image:${A}`]);
    expect((await inventory.list({ parent: 'daemon:h1' })).total).toBe(3);
    expect((await inventory.list({ parent: 'daemon:h1', removed: true })).total).toBe(4);
    expect((await inventory.list({ search: 'NGINX:1.2' })).items.map((r) => r.name)).toEqual([
      'nginx:1.25',
      'nginx:1.27',
    ]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await inventory.list({
        family: 'hosts',
        limit: 2,
        sort: '-key',
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((r) => r.key));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen).toHaveLength(5);
    const first = registries.items[0]!;
    expect(first.counts.findings.CRITICAL).toBe(0);
  });

  it('details a resource: failing recommendations, children, where an image runs, its open results', async () => {
    const inventory = createInventoryQueries(deps);
    const image = await inventory.get(`image:${A}`);
    expect(image.runningIn).toEqual([{ key: 'container:h1/c1', type: 'container', name: 'web' }]);
    expect(image.recommendations.map((r) => r.id).sort()).toEqual([
      'vulnerabilities-registry-images',
      'vulnerabilities-running-images',
    ]);
    expect(image.openFindings).toBe(2);
    // its open results themselves, most severe first: the excepted finding is not among them
    expect(image.openResults.findings.items.map((f) => [f.vulnerability, f.severity, f.state])).toEqual([
      ['CVE-2024-0001', 'CRITICAL', 'open'],
      ['CVE-2024-0002', 'HIGH', 'open'],
    ]);
    expect(image.openResults.findings.items[0]).toMatchObject({
      title: 'CVE-2024-0001 in openssl',
      remediation: 'upgrade openssl',
    });
    expect(image.openResults.findings).toMatchObject({ next: null, total: 2 });
    expect(image.openResults.controlResults.items).toEqual([]);
    const daemon = await inventory.get('daemon:h1');
    expect(daemon.children).toEqual([{ type: 'container', total: 3, unhealthy: 1 }]);
    expect(daemon.recommendations.map((r) => r.id)).toEqual(['CIS-DOCKER-2.1']);
    expect(daemon.runningIn).toBeUndefined();
    const container = await inventory.get('container:h1/c1');
    expect(container.openAlerts).toBe(1);
    expect(container.openControlResults).toBe(1);
    expect(container.openResults.alerts.items.map((a) => a.state)).toEqual(['new']);
    expect(container.openResults.alerts.items[0]).toMatchObject({
      tactic: 'Execution',
      evidence: expect.any(Object),
    });
    expect(container.openResults.controlResults.items).toHaveLength(1);
    expect(container.openResults.controlResults.items[0]!.message).toMatch(/ fail$/);
    expect(container.image).toBe(`image:${A}`);
    await expect(inventory.get('image:nope')).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_RESOURCE_NOT_FOUND',
    });
  });

  it('filters findings by state, severity list, resource, vulnerability alias and package, and walks every page', async () => {
    const findings = createFindingQueries(deps);
    const all = await findings.list({});
    expect(all.total).toBe(5);
    expect(all.items[0]!.severity).toBe('CRITICAL');
    expect((await findings.list({ state: 'open' })).total).toBe(2);
    expect((await findings.list({ severity: 'critical,HIGH' })).total).toBe(3);
    expect((await findings.list({ resource: `image:${A}`, state: 'open,excepted' })).total).toBe(3);
    const byAlias = await findings.list({ vulnerability: 'GHSA-aaaa' });
    expect(byAlias.items.map((f) => f.vulnerability)).toEqual(['CVE-2024-0001']);
    expect(byAlias.items[0]!.aliases).toEqual(['GHSA-aaaa']);
    expect((await findings.list({ vulnerability: 'CVE-2024-0002' })).total).toBe(1);
    expect((await findings.list({ package: 'zlib' })).total).toBe(1);
    expect((await findings.list({ package: 'pkg:deb/debian/zlib@1.2' })).total).toBe(1);
    expect((await findings.list({ package: 'pkg:deb/debian/zlib@9' })).total).toBe(0);
    const walk = async (query: Parameters<typeof findings.list>[0]) => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await findings.list({ ...query, limit: 1, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((f) => f.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      return ids;
    };
    for (const sort of ['-severity', 'severity', 'firstSeen', '-id'])
      expect((await walk({ sort })).sort()).toEqual(all.items.map((f) => f.id).sort());
    // With a resource or package filter the severity order is kept off the severity index; it still pages.
    const ofA = await walk({ resource: `image:${A}`, severity: 'CRITICAL,HIGH,LOW' });
    expect(ofA).toHaveLength(3);
    const ofAFirst = await findings.list({ resource: `image:${A}`, severity: 'CRITICAL,HIGH,LOW' });
    expect(ofA).toEqual(ofAFirst.items.map((f) => f.id));
    expect(ofAFirst.items.map((f) => f.severity)).toEqual(['CRITICAL', 'HIGH', 'LOW']);
    expect(await walk({ package: 'openssl', sort: 'severity' })).toHaveLength(4);
  });

  it('refuses an unknown sort, a bad limit, a foreign cursor and an unknown severity or state', async () => {
    const findings = createFindingQueries(deps);
    await expect(findings.list({ sort: 'package' })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_VALIDATION',
    });
    await expect(findings.list({ limit: 501 })).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
    await expect(findings.list({ cursor: 'not a cursor' })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_CURSOR_INVALID',
    });
    const page = await findings.list({ limit: 1, sort: 'id' });
    await expect(findings.list({ limit: 1, sort: '-id', cursor: page.next! })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_CURSOR_INVALID',
    });
    await expect(findings.list({ severity: 'urgent' })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_VALIDATION',
    });
    await expect(findings.list({ state: 'new' })).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
  });

  it('lists control results by control and engine, and alerts by rule and state', async () => {
    const controls = createControlResultQueries(deps);
    const pod01 = await controls.list({ control: 'K8S-POD-01' });
    expect(pod01.total).toBe(3);
    expect((await controls.list({ control: 'K8S-POD-01', engine: 'admission-audit' })).total).toBe(1);
    const open = await controls.list({ state: 'open', resource: 'container:h1/c1' });
    expect(open.items.map((c) => c.control)).toEqual(['5.5']);
    expect(open.items[0]!.title).toBe('Ensure that privileged containers are not used');
    expect(open.items[0]!.standards).toEqual(['cis-docker']);
    await expect(controls.list({ engine: 'nmap' as never })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_VALIDATION',
    });
    const alerts = createAlertQueries(deps);
    expect((await alerts.list({ rule: 'RT-DKR-01' })).total).toBe(2);
    const newOnes = await alerts.list({ state: 'new', sort: '-severity' });
    expect(newOnes.items.map((a) => a.severity)).toEqual(['CRITICAL', 'HIGH']);
    expect(newOnes.items[0]!.tactic).toBe('Execution');
  });

  it('derives recommendations: unhealthy, healthy and not applicable resources; only unhealthy ones make it active', async () => {
    const recs = createRecommendationService(deps);
    const list = await recs.list({ limit: 500 });
    const byId = new Map(list.items.map((r) => [r.id, r]));
    expect(byId.get('CIS-DOCKER-5.5')).toMatchObject({
      unhealthy: 1,
      healthy: 1,
      notApplicable: 1,
      active: true,
    });
    expect(byId.get('CIS-DOCKER-4.1')).toMatchObject({
      unhealthy: 0,
      healthy: 1,
      notApplicable: 1,
      active: false,
    });
    expect(byId.get('K8S-POD-01')).toMatchObject({
      unhealthy: 1,
      healthy: 1,
      notApplicable: 0,
      active: true,
    });
    expect(byId.get('vulnerabilities-registry-images')).toMatchObject({
      unhealthy: 1,
      healthy: 1,
      notApplicable: 1,
    });
    expect(byId.get('vulnerabilities-running-images')).toMatchObject({
      unhealthy: 1,
      healthy: 1,
      notApplicable: 0,
    });
    expect(list.items[0]!.unhealthy).toBeGreaterThanOrEqual(list.items[1]!.unhealthy);
    const active = await recs.list({ active: true, limit: 500 });
    expect(active.items.map((r) => r.id).sort()).toEqual([
      'CIS-DOCKER-2.1',
      'CIS-DOCKER-5.5',
      'K8S-POD-01',
      'K8S-RBAC-01',
      'vulnerabilities-registry-images',
      'vulnerabilities-running-images',
    ]);
    expect((await recs.list({ active: true, severity: 'CRITICAL' })).items.map((r) => r.id).sort()).toEqual([
      'CIS-DOCKER-5.5',
      'K8S-POD-01',
    ]);
    const detail = await recs.get('CIS-DOCKER-5.5');
    expect(detail.resources).toEqual([
      { key: 'container:h1/c1', type: 'container', name: 'web', health: 'unhealthy' },
      { key: 'container:h1/c2', type: 'container', name: 'api', health: 'healthy' },
      { key: 'container:h1/c4', type: 'container', name: 'tolerated', health: 'not_applicable' },
    ]);
    const running = await recs.get('vulnerabilities-running-images');
    expect(running.resources.map((r) => [r.key, r.health])).toEqual([
      [`image:${A}`, 'unhealthy'],
      [`image:${B}`, 'healthy'],
    ]);
    await expect(recs.get('RT-DKR-01')).rejects.toMatchObject({ code: 'BULKHEAD_ERR_NOT_FOUND' });
  });

  it('computes the secure score by hand and keeps one snapshot a day, 90 days of history', async () => {
    const score = createScoreService(deps);
    const view = await score.get();
    const byName = new Map(view.controls.map((c) => [c.name, c]));
    // remediate-vulnerabilities 6 × 1/2 = 3; harden-docker-hosts 4 × 1/2 = 2 (host passes, daemon fails 2.1);
    // use-trusted-images 3 × 1/1 = 3 (c2 not applicable); restrict-container-privileges 6 × 2/4 = 3 (c1, web fail;
    // c2, api pass; c3 removed, c4 excepted); manage-access-and-permissions 4 × 0/1 = 0; the three others assessed
    // nothing and count in neither sum: 11 / 23.
    expect(byName.get('remediate-vulnerabilities')).toEqual({
      name: 'remediate-vulnerabilities',
      max: 6,
      current: 3,
      healthy: 1,
      unhealthy: 1,
    });
    expect(byName.get('harden-docker-hosts')).toMatchObject({ current: 2, healthy: 1, unhealthy: 1 });
    expect(byName.get('use-trusted-images')).toMatchObject({ current: 3, healthy: 1, unhealthy: 0 });
    expect(byName.get('restrict-container-privileges')).toMatchObject({
      current: 3,
      healthy: 2,
      unhealthy: 2,
    });
    expect(byName.get('manage-access-and-permissions')).toMatchObject({
      current: 0,
      healthy: 0,
      unhealthy: 1,
    });
    expect(byName.get('restrict-network-access')).toMatchObject({ current: 0, healthy: 0, unhealthy: 0 });
    expect(view.percentage).toBe(47.83);

    await saveScoreSnapshot(store.db, {
      date: '2026-08-01',
      percentage: 10,
      controls: [],
      takenAt: '2026-08-01T00:00:00Z',
    });
    await saveScoreSnapshot(store.db, {
      date: '2026-11-01',
      percentage: 40,
      controls: [],
      takenAt: '2026-11-01T00:00:00Z',
    });
    await score.snapshot();
    now = new Date('2026-12-07T23:00:00.000Z');
    await score.snapshot();
    const rows = await store.db
      .selectFrom('center_score_snapshots')
      .selectAll()
      .where('date', '=', '2026-12-07')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.taken_at).toBe('2026-12-07T23:00:00.000Z');
    const history = (await score.get()).history;
    expect(history).toEqual([
      { date: '2026-11-01', percentage: 40 },
      { date: '2026-12-07', percentage: 47.83 },
    ]);
  });

  it('answers compliance per standard over the catalogue standards', async () => {
    const compliance = createComplianceService(deps);
    const docker = await compliance.get('cis-docker');
    const c55 = docker.controls.find((c) => c.id === 'CIS-DOCKER-5.5');
    expect(c55).toMatchObject({ pass: 1, fail: 1, notApplicable: 1, severity: 'CRITICAL' });
    expect(docker.summary).toEqual({ pass: 4, fail: 2, notApplicable: 2 });
    const pss = await compliance.get('pss-baseline');
    expect(pss.controls.find((c) => c.id === 'K8S-POD-01')).toMatchObject({ pass: 1, fail: 1 });
    expect(pss.controls.some((c) => c.id.startsWith('CIS-DOCKER'))).toBe(false);
    await expect(compliance.get('pci' as never)).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
  });

  it('finds the images holding a package and where they run', async () => {
    const packages = createPackageQueries(deps);
    const openssl = await packages.find({ name: 'openssl' });
    // image D lists no packages, but its finding's package is one it holds
    expect(openssl.total).toBe(3);
    expect(openssl.items.map((p) => p.image).sort()).toEqual(
      [`image:${A}`, `image:${B}`, `image:${D}`].sort(),
    );
    const b = openssl.items.find((p) => p.image === `image:${B}`)!;
    expect(b.runningIn.map((r) => r.key).sort()).toEqual([
      'container:h1/c2',
      'workload:prod/default/Deployment/web',
    ]);
    expect((await packages.find({ name: 'openssl', version: '3.0.1' })).items.map((p) => p.image)).toEqual([
      `image:${B}`,
    ]);
    expect(
      (await packages.find({ purl: 'pkg:deb/debian/openssl@3.0.0' })).items.map((p) => p.image).sort(),
    ).toEqual([`image:${A}`, `image:${D}`].sort());
    // The container running image C was removed: it runs nowhere now.
    const zlib = await packages.find({ name: 'zlib' });
    expect(zlib.items.find((p) => p.image === `image:${C}`)!.runningIn).toEqual([]);
    await expect(packages.find({})).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
  });

  it('gives an image verdict from open findings at or above a severity, exceptions counted apart', async () => {
    const images = createImageVerdicts(deps);
    const a = await images.verdict(A, 'high');
    expect(a).toMatchObject({ verdict: 'fail', severity: 'HIGH', excepted: 1 });
    expect(a.open).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
    expect((await images.verdict(CONFIG_A, 'CRITICAL')).verdict).toBe('fail');
    expect((await images.verdict(B, 'LOW')).verdict).toBe('pass');
    expect((await images.verdict(D, 'LOW')).verdict).toBe('pass');
    expect((await images.verdict(C, 'LOW')).verdict).toBe('not_assessed');
    expect((await images.verdict(`sha256:${'f'.repeat(64)}`, 'LOW')).verdict).toBe('not_assessed');
    await expect(images.verdict('latest', 'LOW')).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
  });
});
