import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type SqliteDatabase from 'better-sqlite3';
import { type Center, SYSTEM } from '../src/center/index.js';
import { recomputeHealth } from '../src/center/inventory/health.js';
import type { Store } from '../src/store/index.js';
import {
  clusterInventoryDocument,
  clusterName,
  configDigest,
  dockerBenchmarkDocument,
  hostInventoryDocument,
  hostName,
  imageScanDocument,
  kubernetesScanDocument,
  manifestDigest,
  registryHost,
  repositoryPath,
  runtimeAlertsDocument,
} from './center-documents.js';

/** The volumes of issue 13's "Must show". */
export const VOLUME = {
  images: 10_000,
  findingsPerImage: 100,
  imagesPerRepository: 20,
  repositoriesPerRegistry: 25,
  hosts: 200,
  alertsPerHost: 500,
  clusters: 100,
  workloadsPerCluster: 50,
} as const;

/** Images ingested for real: the first repository's, so containers and pods link to them by the real path. */
const REAL_IMAGES = VOLUME.imagesPerRepository;

type Row = Record<string, unknown>;
type Replacements = readonly (readonly [string, string])[];

function rewrite(value: unknown, replacements: Replacements): unknown {
  if (typeof value !== 'string') return value;
  let out = value;
  for (const [from, to] of replacements) if (out.includes(from)) out = out.split(from).join(to);
  return out;
}

/** A prepared insert of every column but `id`, taking a template row, the key rewrites and column overrides. */
function cloner(raw: SqliteDatabase.Database, table: string) {
  const cols = (raw.pragma(`table_info(${table})`) as { name: string }[])
    .map((c) => c.name)
    .filter((c) => c !== 'id');
  const insert = raw.prepare(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  return (row: Row, replacements: Replacements, override: (values: Row) => void = () => {}) => {
    const values: Row = {};
    for (const c of cols) values[c] = rewrite(row[c], replacements);
    override(values);
    return Number(insert.run(cols.map((c) => values[c])).lastInsertRowid);
  };
}

/** The rows one templated scope wrote: its reports and what they filed, and its resources. */
interface Template {
  reports: Row[];
  resources: Row[];
  findings: Row[];
  controlResults: Row[];
  alerts: Row[];
  packages: Row[];
}

function readTemplate(raw: SqliteDatabase.Database, reportIds: number[], resourceLike: string[]): Template {
  const inReports = `report_id IN (${reportIds.join(',')})`;
  const like = resourceLike.map(() => 'key LIKE ?').join(' OR ');
  const keys = raw.prepare(`SELECT * FROM center_resources WHERE ${like}`).all(...resourceLike) as Row[];
  const keyList = keys.map((r) => r.key as string);
  return {
    reports: raw.prepare(`SELECT * FROM center_reports WHERE id IN (${reportIds.join(',')})`).all() as Row[],
    resources: keys,
    findings: raw.prepare(`SELECT * FROM center_findings WHERE ${inReports}`).all() as Row[],
    controlResults: raw.prepare(`SELECT * FROM center_control_results WHERE ${inReports}`).all() as Row[],
    alerts: raw.prepare(`SELECT * FROM center_alerts WHERE ${inReports}`).all() as Row[],
    packages: keyList.length
      ? (raw
          .prepare(
            `SELECT * FROM center_packages WHERE resource_key IN (${keyList.map(() => '?').join(',')})`,
          )
          .all(...keyList) as Row[])
      : [],
  };
}

/** Write one copy of a template under new keys: reports first, then the rows pointing at the new report ids. */
function cloneTemplate(
  raw: SqliteDatabase.Database,
  t: Template,
  replacements: Replacements,
  skipResource?: (key: string) => boolean,
) {
  const clone = clonersOf(raw);
  const reportIds = new Map<number, number>();
  for (const r of t.reports)
    reportIds.set(
      Number(r.id),
      clone.reports(r, replacements, (v) => {
        // the copy's own document: the template's under the copy's keys, stored as the center stores one
        const text = r.body_deflated
          ? (rewrite(inflateRawSync(r.body_deflated as Buffer).toString('utf8'), replacements) as string)
          : (v.body as string);
        if (r.body_deflated) v.body_deflated = deflateRawSync(text, { level: 1 });
        v.digest = createHash('sha256').update(text).digest('hex');
      }),
    );
  const report = (v: Row) => {
    v.report_id = reportIds.get(Number(v.report_id));
  };
  for (const r of t.resources) if (!skipResource?.(r.key as string)) clone.resources(r, replacements);
  for (const r of t.findings) clone.findings(r, replacements, report);
  for (const r of t.controlResults) clone.controlResults(r, replacements, report);
  for (const r of t.alerts) clone.alerts(r, replacements, report);
  for (const r of t.packages) clone.packages(r, replacements);
}

const cache = new WeakMap<SqliteDatabase.Database, ReturnType<typeof makeCloners>>();
function makeCloners(raw: SqliteDatabase.Database) {
  return {
    reports: cloner(raw, 'center_reports'),
    resources: cloner(raw, 'center_resources'),
    findings: cloner(raw, 'center_findings'),
    controlResults: cloner(raw, 'center_control_results'),
    alerts: cloner(raw, 'center_alerts'),
    packages: cloner(raw, 'center_packages'),
  };
}
function clonersOf(raw: SqliteDatabase.Database) {
  const known = cache.get(raw);
  if (known) return known;
  const made = makeCloners(raw);
  cache.set(raw, made);
  return made;
}

const repositoryOf = (image: number) => Math.floor(image / VOLUME.imagesPerRepository);
const registryOf = (repository: number) => Math.floor(repository / VOLUME.repositoriesPerRegistry);

/**
 * Fill the store: real ingests of one scope per family (the first repository's images, one host, one cluster),
 * then copies of the rows they wrote under rewritten keys and ids up to the volumes, in one SQLite transaction,
 * then health recomputed where copies changed it (repositories and registries gain images).
 */
export async function seedCenter(center: Center, store: Store, raw: SqliteDatabase.Database): Promise<void> {
  const ingest = (doc: unknown) => center.reports.ingest(SYSTEM, doc);
  const imageReports: number[] = [];
  for (let i = 0; i < REAL_IMAGES; i++)
    imageReports.push(
      (await ingest(imageScanDocument(i, registryHost(0), repositoryPath(0), VOLUME.findingsPerImage))).id,
    );
  const hostReports = [
    (await ingest(hostInventoryDocument(hostName(0)))).id,
    (await ingest(dockerBenchmarkDocument(hostName(0)))).id,
    (await ingest(runtimeAlertsDocument(hostName(0), VOLUME.alertsPerHost))).id,
  ];
  const clusterReports = [
    (await ingest(clusterInventoryDocument(clusterName(0), VOLUME.workloadsPerCluster))).id,
    (await ingest(kubernetesScanDocument(clusterName(0), VOLUME.workloadsPerCluster))).id,
  ];

  const image = readTemplate(raw, [imageReports[0]!], [`image:${manifestDigest(0)}`]);
  const repository = readTemplate(raw, [], [`repository:${registryHost(0)}/${repositoryPath(0)}`]);
  const registry = readTemplate(raw, [], [`registry:${registryHost(0)}`]);
  const host = readTemplate(raw, hostReports, [`%:${hostName(0)}`, `%:${hostName(0)}/%`]);
  const cluster = readTemplate(raw, clusterReports, [`%:${clusterName(0)}`, `%:${clusterName(0)}/%`]);

  // a large page cache for the copies only: a million rows go into six indexes each
  const cacheSize = raw.pragma('cache_size', { simple: true });
  raw.pragma('cache_size = -524288');
  raw.transaction(() => {
    for (let g = 1; g < VOLUME.images / VOLUME.imagesPerRepository / VOLUME.repositoriesPerRegistry; g++)
      cloneTemplate(raw, registry, [[registryHost(0), registryHost(g)]]);
    for (let r = 1; r < VOLUME.images / VOLUME.imagesPerRepository; r++)
      cloneTemplate(raw, repository, [
        [registryHost(0), registryHost(registryOf(r))],
        [repositoryPath(0), repositoryPath(r)],
      ]);
    for (let i = REAL_IMAGES; i < VOLUME.images; i++) {
      const r = repositoryOf(i);
      cloneTemplate(raw, image, [
        [manifestDigest(0), manifestDigest(i)],
        [configDigest(0), configDigest(i)],
        [`${repositoryPath(0)}:v0`, `${repositoryPath(r)}:v${i}`],
        [repositoryPath(0), repositoryPath(r)],
        [registryHost(0), registryHost(registryOf(r))],
      ]);
    }
    for (let h = 1; h < VOLUME.hosts; h++) cloneTemplate(raw, host, [[hostName(0), hostName(h)]]);
    for (let c = 1; c < VOLUME.clusters; c++) cloneTemplate(raw, cluster, [[clusterName(0), clusterName(c)]]);
  })();
  raw.pragma(`cache_size = ${cacheSize}`);
  // a server runs with its write-ahead log checkpointed; the seed's gigabyte of log would otherwise be copied
  // back during the measurements
  raw.pragma('wal_checkpoint(TRUNCATE)');

  // Copies of images made repositories and registries gain children: recompute theirs as the ingest does.
  const parents = (
    raw.prepare(`SELECT key FROM center_resources WHERE type IN ('registry', 'repository')`).all() as {
      key: string;
    }[]
  ).map((r) => r.key);
  await store.db.transaction().execute((tx) => recomputeHealth(tx, parents));
}
