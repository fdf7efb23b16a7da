import { packageLookup } from '../../core/package-lookup.js';
import { type Severity, severityRank } from '../../core/severity.js';
import type { Store } from '../../store/index.js';
import { fromJsonColumn, toJsonColumn } from '../../store/json-column.js';
import { alertDisplay, controlResultDisplay, findingDisplay } from '../results/display.js';

/**
 * Test-only rows written straight into the center tables, so the read side can be tested without the ingest
 * path. Each factory fills every column with a plain default; a test names only what it checks.
 */
export const T0 = '2026-12-01T00:00:00.000Z';

const FAMILY: Record<string, string> = {
  registry: 'registries',
  repository: 'registries',
  image: 'registries',
  host: 'hosts',
  daemon: 'hosts',
  container: 'hosts',
  cluster: 'clusters',
  namespace: 'clusters',
  workload: 'clusters',
  pod: 'clusters',
  object: 'clusters',
};

export interface ResourceSeed {
  key: string;
  name?: string;
  parent?: string;
  image?: string;
  health?: 'healthy' | 'unhealthy' | 'not_assessed';
  assessed?: boolean;
  attributes?: Record<string, unknown>;
  counts?: Record<string, unknown>;
  removed?: boolean;
  lastSeen?: string;
}

export async function seedResource(store: Store, seed: ResourceSeed): Promise<void> {
  const type = seed.key.slice(0, seed.key.indexOf(':'));
  const health = seed.health ?? 'healthy';
  await store.db
    .insertInto('center_resources')
    .values({
      key: seed.key,
      family: FAMILY[type] ?? 'clusters',
      type,
      name: seed.name ?? seed.key.slice(type.length + 1),
      parent_key: seed.parent ?? null,
      image_key: seed.image ?? null,
      image_ref: null,
      health,
      counts: toJsonColumn(seed.counts ?? {}),
      attributes: toJsonColumn(seed.attributes ?? {}),
      assessed_at: (seed.assessed ?? health !== 'not_assessed') ? T0 : null,
      first_seen: T0,
      last_seen: seed.lastSeen ?? T0,
      removed_at: seed.removed ? T0 : null,
    })
    .execute();
}

let sequence = 0;

export interface FindingSeed {
  resource: string;
  vuln: string;
  aliases?: string[];
  pkg?: string;
  version?: string;
  purl?: string;
  severity?: Severity;
  state?: 'open' | 'resolved' | 'excepted';
  firstSeen?: string;
}

export async function seedFinding(store: Store, seed: FindingSeed): Promise<void> {
  sequence += 1;
  const severity = seed.severity ?? 'HIGH';
  const pkg = seed.pkg ?? 'openssl';
  const version = seed.version ?? '3.0.0';
  const purl = seed.purl ?? `pkg:deb/debian/${pkg}@${version}`;
  await store.db
    .insertInto('center_findings')
    .values({
      result_key: `${seed.resource}|${seed.vuln}|${purl}|${sequence}`,
      resource_key: seed.resource,
      vuln_id: seed.vuln,
      aliases: toJsonColumn(seed.aliases ?? []),
      package_name: pkg,
      package_version: version,
      package_type: 'deb',
      purl,
      severity,
      severity_rank: severityRank(severity),
      fixed_version: null,
      status: 'fixed',
      state: seed.state ?? 'open',
      exception_id: seed.state === 'excepted' ? 1 : null,
      data: toJsonColumn({ title: `${seed.vuln} in ${pkg}`, remediation: `upgrade ${pkg}` }),
      ...findingDisplay({ title: `${seed.vuln} in ${pkg}`, remediation: `upgrade ${pkg}` }),
      report_id: 1,
      first_seen: seed.firstSeen ?? T0,
      last_seen: T0,
      resolved_at: seed.state === 'resolved' ? T0 : null,
    })
    .execute();
  // the ingest lists the package of each finding its scan reports among the image's packages
  if (seed.state !== 'resolved') await seedPackage(store, { image: seed.resource, name: pkg, version, purl });
  // every writer keeps a resource's open counts with its findings, in the same transaction; so does the seed
  if ((seed.state ?? 'open') !== 'open') return;
  const resource = await store.db
    .selectFrom('center_resources')
    .select('counts')
    .where('key', '=', seed.resource)
    .executeTakeFirst();
  if (!resource) return;
  const counts = fromJsonColumn<{ findings?: Record<string, number> }>(resource.counts, {});
  const findings = counts.findings ?? {};
  findings[severity] = (findings[severity] ?? 0) + 1;
  await store.db
    .updateTable('center_resources')
    .set({ counts: toJsonColumn({ ...counts, findings }) })
    .where('key', '=', seed.resource)
    .execute();
}

export interface ControlSeed {
  resource: string;
  engine: 'docker-benchmark' | 'k8s-scan' | 'admission-audit';
  control: string;
  status: 'pass' | 'fail' | 'not_applicable' | 'manual';
  state?: 'open' | 'resolved' | 'excepted' | 'passed';
  severity?: Severity;
  subject?: string;
}

export async function seedControlResult(store: Store, seed: ControlSeed): Promise<void> {
  sequence += 1;
  const severity = seed.severity ?? 'MEDIUM';
  const state = seed.state ?? (seed.status === 'fail' ? 'open' : 'passed');
  await store.db
    .insertInto('center_control_results')
    .values({
      result_key: `${seed.resource}|${seed.engine}|${seed.control}|${seed.subject ?? ''}|${sequence}`,
      resource_key: seed.resource,
      engine: seed.engine,
      control: seed.control,
      control_version: 1,
      subject: seed.subject ?? '',
      status: seed.status,
      severity,
      severity_rank: severityRank(severity),
      standards: toJsonColumn([]),
      state,
      exception_id: state === 'excepted' ? 1 : null,
      data: toJsonColumn({ message: `${seed.control} ${seed.status}` }),
      ...controlResultDisplay({ message: `${seed.control} ${seed.status}` }),
      report_id: 1,
      first_seen: T0,
      last_seen: T0,
      resolved_at: state === 'resolved' ? T0 : null,
    })
    .execute();
}

export async function seedAlert(
  store: Store,
  seed: { resource: string; rule: string; severity?: Severity; state?: string },
): Promise<void> {
  sequence += 1;
  const severity = seed.severity ?? 'HIGH';
  await store.db
    .insertInto('center_alerts')
    .values({
      alert_key: `${seed.resource}|${seed.rule}|${sequence}`,
      resource_key: seed.resource,
      rule: seed.rule,
      severity,
      severity_rank: severityRank(severity),
      source: 'docker-events',
      count: 1,
      state: seed.state ?? 'new',
      assignee: null,
      reason: null,
      exception_id: null,
      data: toJsonColumn({ title: seed.rule, tactic: 'Execution', evidence: { n: sequence } }),
      ...alertDisplay({ title: seed.rule, tactic: 'Execution', evidence: { n: sequence } }),
      report_id: 1,
      first_seen: T0,
      last_seen: T0,
      resolved_at: null,
      updated_at: T0,
    })
    .execute();
}

export async function seedPackage(
  store: Store,
  seed: { image: string; name: string; version: string; purl?: string },
): Promise<void> {
  const purl = seed.purl ?? `pkg:deb/debian/${seed.name}@${seed.version}`;
  // an image lists a package once
  const listed = await store.db
    .selectFrom('center_packages')
    .select('id')
    .where('resource_key', '=', seed.image)
    .where('purl', '=', purl)
    .executeTakeFirst();
  if (listed) return;
  await store.db
    .insertInto('center_packages')
    .values({
      resource_key: seed.image,
      name: seed.name,
      version: seed.version,
      type: 'deb',
      purl,
      lookup: packageLookup(seed.name),
      data: toJsonColumn({}),
    })
    .execute();
}
