import { CompiledQuery, type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import { chunked, chunksOf } from '../store/insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import type { Database } from '../store/schema.js';
import { writeTransaction } from '../store/write-transaction.js';
import type {
  AdvisoryRecord,
  AdvisoryState,
  AffectedPackage,
  AffectedRange,
  SeverityEntry,
} from './model.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface WriteSummary {
  /** Records inserted or replaced. */
  written: number;
  /** Records kept because the stored one is newer (by `modified`). */
  older: number;
  /** Affected-package rows written. */
  rows: number;
}

/** Whether `a` is strictly older than `b` by `modified` (a record without a date is older than one with). */
function olderThan(a: AdvisoryRecord, b: AdvisoryRecord): boolean {
  if (a.modified === b.modified) return false;
  if (a.modified === null) return true;
  if (b.modified === null) return false;
  return a.modified < b.modified;
}

/**
 * Several records of one id in one input. The newest (by `modified`; on a tie, the later in the file) gives
 * the record's fields and wins for the packages both list; packages only the other lists are kept (feeds such
 * as a secdb list one id once per package). Aliases are the union, since both name the same vulnerability.
 */
function dedupe(records: readonly AdvisoryRecord[]): AdvisoryRecord[] {
  const byKey = new Map<string, AdvisoryRecord>();
  for (const r of records) {
    const key = `${r.source}\u0000${r.id}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, r);
      continue;
    }
    const [older, newer] = olderThan(r, prev) ? [r, prev] : [prev, r];
    const affected = older.affected.filter(
      (a) => !newer.affected.some((b) => b.namespace === a.namespace && b.package === a.package),
    );
    byKey.set(key, {
      ...newer,
      aliases: [...new Set([...newer.aliases, ...older.aliases])],
      affected: [...affected, ...newer.affected],
    });
  }
  return [...byKey.values()];
}

/** Source ids by name, remembered for one import (sources are never renumbered). */
export type SourceCache = Map<string, number>;

/** Origins that already have rows, read once per import: a new origin has nothing to replace. */
export async function originsWithRows(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('advisories').select('origin').distinct().execute();
  return new Set(rows.map((r) => r.origin));
}

async function sourceId(
  tx: Db,
  name: string,
  format: string,
  now: string,
  cache: SourceCache,
): Promise<number> {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const found = await tx
    .selectFrom('advisory_sources')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  const id =
    found?.id ??
    (
      await tx
        .insertInto('advisory_sources')
        .values({ name, format, records: 0, imported_at: now, newest: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  cache.set(name, id);
  return id;
}

function recordValues(r: AdvisoryRecord, sourceId: number): unknown[] {
  return [
    sourceId,
    r.id,
    toJsonColumn(r.aliases),
    r.title,
    toJsonColumn(r.severity),
    toJsonColumn(r.references),
    r.published,
    r.modified,
    r.withdrawn,
    toJsonColumn({ format: r.format, ...r.extra }),
  ];
}

function affectedValues(a: AffectedPackage, recordId: number, origin: string): unknown[] {
  return [
    recordId,
    a.namespace,
    a.package,
    a.state,
    a.reason ?? null,
    toJsonColumn(a.ranges),
    toJsonColumn(a.versions),
    a.fixedVersion,
    toJsonColumn(a.severity),
    origin,
  ];
}

function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: placeholders for `rows` rows of `width` values after `offset`. */
function placeholders(dialect: 'sqlite' | 'postgres', rows: number, width: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) row.push(dialect === 'sqlite' ? '?' : `$${offset + r * width + c + 1}`);
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

/**
 * The hot statements of an import, written once as SQL: the import runs thousands of small transactions,
 * and building each through the query builder cost more than executing it.
 */
function multiRow(head: string, width: number, tail: string) {
  const cache = new Map<string, string>();
  return {
    sql(dialect: 'sqlite' | 'postgres', rows: number): string {
      const key = `${dialect}:${rows}`;
      let text = cache.get(key);
      if (!text) {
        text = `${head} values ${placeholders(dialect, rows, width)} ${tail}`;
        if (cache.size < 64) cache.set(key, text);
      }
      return text;
    },
  };
}

const RECORD_COLUMNS = ['aliases', 'title', 'severity', 'refs', 'published', 'modified', 'withdrawn', 'data'];
/** Values per row of each multi-row statement, as `recordValues`/`affectedValues` give them. */
const RECORD_WIDTH = 10;
const ROW_WIDTH = 10;
const ALIAS_WIDTH = 2;
const UPSERT_RECORDS = multiRow(
  'insert into advisory_records (source_id, vuln_id, aliases, title, severity, refs, published, modified, withdrawn, data)',
  RECORD_WIDTH,
  // newest wins: a stored record with a later modified date is kept
  `on conflict (source_id, vuln_id) do update set ${RECORD_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
   where advisory_records.modified is null or excluded.modified >= advisory_records.modified
   returning id, source_id, vuln_id`,
);
const ROW_COLUMNS = ['state', 'reason', 'ranges', 'versions', 'fixed_version', 'severity', 'origin'];
const UPSERT_ROWS = multiRow(
  'insert into advisories (record_id, namespace, package, state, reason, ranges, versions, fixed_version, severity, origin)',
  ROW_WIDTH,
  `on conflict (record_id, namespace, package) do update set ${ROW_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
);
const INSERT_ALIASES = multiRow(
  'insert into advisory_aliases (record_id, alias)',
  ALIAS_WIDTH,
  'on conflict (record_id, alias) do nothing',
);

function deleteAliasesSql(dialect: 'sqlite' | 'postgres', n: number): string {
  const list = Array.from({ length: n }, (_, i) => (dialect === 'sqlite' ? '?' : `$${i + 1}`)).join(', ');
  return `delete from advisory_aliases where record_id in (${list})`;
}

function deleteRowsSql(dialect: 'sqlite' | 'postgres', n: number): string {
  const list = Array.from({ length: n }, (_, i) => (dialect === 'sqlite' ? '?' : `$${i + 2}`)).join(', ');
  return `delete from advisories where origin = ${dialect === 'sqlite' ? '?' : '$1'} and record_id in (${list})`;
}

/**
 * Store the records read from one input (`origin`: its path or URL) in one transaction: all of it or none.
 * Records are upserted in multi-row statements; a stored record is replaced unless it is strictly newer (by
 * `modified`). The record's affected rows from this origin are replaced; rows another origin gave (the same
 * CVE in another release's secdb file) stay. Call `refreshSources` when the import is done.
 */
export async function writeRecords(
  db: Kysely<Database>,
  input: readonly AdvisoryRecord[],
  origin: string,
  options: {
    now?: Date;
    sources?: SourceCache;
    knownOrigins?: Set<string>;
  } = {},
): Promise<WriteSummary> {
  const at = (options.now ?? new Date()).toISOString();
  const cache = options.sources ?? new Map();
  let summary: WriteSummary = { written: 0, older: 0, rows: 0 };
  const records = dedupe(input);
  if (records.length === 0) return summary;
  const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
  const cachedBefore = new Set(cache.keys());
  const onRetry = () => {
    // a rolled-back attempt: forget what it counted and the source ids it inserted
    summary = { written: 0, older: 0, rows: 0 };
    for (const name of [...cache.keys()]) if (!cachedBefore.has(name)) cache.delete(name);
  };
  await writeTransaction(
    db,
    async (tx) => {
      const ids = new Map<string, number>();
      for (const batch of chunked(records, RECORD_WIDTH)) {
        const values: unknown[][] = [];
        for (const r of batch)
          values.push(recordValues(r, await sourceId(tx, r.source, r.format, at, cache)));
        const written = await tx.executeQuery<{ id: number; source_id: number; vuln_id: string }>(
          CompiledQuery.raw(UPSERT_RECORDS.sql(dialect, values.length), values.flat()),
        );
        for (const row of written.rows) ids.set(`${row.source_id}\u0000${row.vuln_id}`, Number(row.id));
        summary.written += written.rows.length;
        summary.older += batch.length - written.rows.length;
      }
      const idOf = (r: AdvisoryRecord) => ids.get(`${cache.get(r.source)}\u0000${r.id}`);
      const mayHaveRows = !options.knownOrigins || options.knownOrigins.has(origin);
      // one parameter per id, after the origin
      for (const part of mayHaveRows ? chunked([...ids.values()], 1, 1) : []) {
        await tx.executeQuery(CompiledQuery.raw(deleteRowsSql(dialect, part.length), [origin, ...part]));
      }
      // rows are made a statement at a time: a 16 MB feed has ~180,000 of them
      function* rows() {
        for (const r of records) {
          const id = idOf(r);
          if (id !== undefined) for (const a of r.affected) yield affectedValues(a, id, origin);
        }
      }
      for (const part of chunksOf(rows(), ROW_WIDTH)) {
        await tx.executeQuery(CompiledQuery.raw(UPSERT_ROWS.sql(dialect, part.length), part.flat()));
        summary.rows += part.length;
      }
      // the alias set of every record written is replaced, in the same transaction as the record: a kill at any
      // moment leaves a record with its own aliases (severities are found through them), never without
      for (const part of chunked([...ids.values()], 1)) {
        await tx.executeQuery(CompiledQuery.raw(deleteAliasesSql(dialect, part.length), part));
      }
      function* aliasRows() {
        for (const r of records) {
          const id = idOf(r);
          if (id !== undefined) for (const alias of new Set(r.aliases)) yield [id, alias];
        }
      }
      for (const part of chunksOf(aliasRows(), ALIAS_WIDTH)) {
        await tx.executeQuery(CompiledQuery.raw(INSERT_ALIASES.sql(dialect, part.length), part.flat()));
      }
    },
    { onRetry },
  );
  return summary;
}

/** Live record counts and newest dates per source id. */
async function liveCounts(db: Db): Promise<Map<number, { records: number; newest: string | null }>> {
  const rows = await db
    .selectFrom('advisory_records')
    .select((eb) => [
      'source_id',
      eb.fn.countAll<string | number>().as('n'),
      eb.fn.max('modified').as('modified'),
      eb.fn.max('published').as('published'),
    ])
    .groupBy('source_id')
    .execute();
  return new Map(
    rows.map((r) => {
      const dates = [r.modified, r.published].filter((d): d is string => typeof d === 'string');
      return [r.source_id, { records: Number(r.n), newest: dates.sort().at(-1) ?? null }];
    }),
  );
}

/**
 * Record counts by source name, for before/after comparisons. A Map: source names come from advisory ids in the
 * imported files, and a plain object answers `__proto__` or `constructor` with what it inherits.
 */
export async function recordCounts(db: Db): Promise<Map<string, number>> {
  return new Map((await advisoryStatus(db)).sources.map((s) => [s.name, s.records]));
}

/** After an import: store each touched source's record count, newest date and import time. */
export async function refreshSources(db: Db, names: Iterable<string>, now = new Date()): Promise<void> {
  const live = await liveCounts(db);
  for (const name of names) {
    const row = await db
      .selectFrom('advisory_sources')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) continue;
    const counts = live.get(row.id) ?? { records: 0, newest: null };
    await db
      .updateTable('advisory_sources')
      .set({ records: counts.records, newest: counts.newest, imported_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
}

export interface SourceStatus {
  name: string;
  format: string;
  records: number;
  importedAt: string;
  newest: string | null;
}

/** What the database holds: records per source, counted live. */
export async function advisoryStatus(db: Db): Promise<{ advisories: number; sources: SourceStatus[] }> {
  const rows = await db.selectFrom('advisory_sources').selectAll().orderBy('name').execute();
  const live = await liveCounts(db);
  const sources = rows.map((r) => ({
    name: r.name,
    format: r.format,
    records: live.get(r.id)?.records ?? 0,
    importedAt: r.imported_at,
    newest: live.get(r.id)?.newest ?? null,
  }));
  return { advisories: sources.reduce((n, s) => n + s.records, 0), sources };
}

function advisoriesSelect(db: Db) {
  return db
    .selectFrom('advisories as a')
    .innerJoin('advisory_records as r', 'r.id', 'a.record_id')
    .innerJoin('advisory_sources as s', 's.id', 'r.source_id')
    .select([
      's.name as source',
      'r.vuln_id',
      'r.aliases',
      'r.title',
      'r.severity as record_severity',
      'r.refs',
      'r.published',
      'r.modified',
      'a.namespace',
      'a.package',
      'a.state',
      'a.reason',
      'a.ranges',
      'a.versions',
      'a.fixed_version',
      'a.severity',
    ]);
}

function buildAdvisoriesQuery(db: Db) {
  return (
    advisoriesSelect(db)
      .where('a.namespace', '=', '')
      .where('a.package', '=', '')
      .orderBy('r.vuln_id')
      // rows of one vulnerability from several sources come in the order they were stored, as in the batch lookup
      .orderBy('a.id')
      .compile()
  );
}

/** The row of the advisories query as the query API reads it. */
function storedAdvisory(r: AdvisoryRow): StoredAdvisory {
  return {
    source: r.source,
    vulnId: r.vuln_id,
    aliases: fromJsonColumn<string[]>(r.aliases, []),
    title: r.title,
    namespace: r.namespace,
    package: r.package,
    state: r.state as AdvisoryState,
    reason: r.reason,
    ranges: fromJsonColumn<AffectedRange[]>(r.ranges, []),
    versions: fromJsonColumn<string[]>(r.versions, []),
    fixedVersion: r.fixed_version,
    severity: [
      ...fromJsonColumn<SeverityEntry[]>(r.record_severity, []),
      ...fromJsonColumn<SeverityEntry[]>(r.severity, []),
    ],
    published: r.published,
    modified: r.modified,
    references: fromJsonColumn<string[]>(r.refs, []),
  };
}

type AdvisoryRow = ReturnType<typeof buildAdvisoriesQuery> extends CompiledQuery<infer R> ? R : never;

/** Names per statement when many packages are looked up at once. */
const PACKAGES_PER_LOOKUP = 500;

/**
 * The rows of many packages of one namespace (names as stored: normalised), by package; a package with no rows
 * is absent. One statement per 500 names: a scan asks for every package it found, and most have no advisory.
 */
export async function advisoriesForPackages(
  db: Db,
  namespace: string,
  packages: readonly string[],
): Promise<Map<string, StoredAdvisory[]>> {
  const out = new Map<string, StoredAdvisory[]>();
  for (let i = 0; i < packages.length; i += PACKAGES_PER_LOOKUP) {
    const part = packages.slice(i, i + PACKAGES_PER_LOOKUP);
    const rows = await advisoriesSelect(db)
      .where('a.namespace', '=', namespace)
      .where('a.package', 'in', part)
      .orderBy('r.vuln_id')
      .orderBy('a.id')
      .execute();
    for (const row of rows) {
      const list = out.get(row.package);
      if (list) list.push(storedAdvisory(row));
      else out.set(row.package, [storedAdvisory(row)]);
    }
  }
  return out;
}

/** Per database handle, since its dialect and plugins decide the text. */
const ADVISORIES_QUERY = new WeakMap<Db, ReturnType<typeof buildAdvisoriesQuery>>();

/** The compiled rows-for-a-package query; its two parameters are the namespace and the package. */
function advisoriesQuery(db: Db): ReturnType<typeof buildAdvisoriesQuery> {
  let query = ADVISORIES_QUERY.get(db);
  if (!query) {
    query = buildAdvisoriesQuery(db);
    if (query.parameters.length !== 2) throw new Error('advisoriesQuery: expected two parameters');
    ADVISORIES_QUERY.set(db, query);
  }
  return query;
}

/** One stored affected-package row with its record, as the query API reads it. */
export interface StoredAdvisory {
  source: string;
  vulnId: string;
  aliases: string[];
  title: string | null;
  namespace: string;
  package: string;
  state: AdvisoryState;
  reason: string | null;
  ranges: AffectedRange[];
  versions: string[];
  fixedVersion: string | null;
  /** Record-level then package-level severities. */
  severity: SeverityEntry[];
  published: string | null;
  modified: string | null;
  references: string[];
}

/** Every row for (namespace, package), through the (namespace, package) index. */
export async function advisoriesFor(db: Db, namespace: string, pkg: string): Promise<StoredAdvisory[]> {
  // built and compiled once per database handle: a scan asks this for every package (200,000 in a large SBOM), and
  // building the query each time had cost more than running it
  const query = advisoriesQuery(db);
  const { rows } = await db.executeQuery(CompiledQuery.raw(query.sql, [namespace, pkg]) as typeof query);
  return rows.map(storedAdvisory);
}

/** Records known under an id or alias (e.g. the GHSA record behind a Go advisory's alias), for severities. */
export async function recordsByAlias(
  db: Db,
  id: string,
): Promise<{ source: string; vulnId: string; severity: SeverityEntry[]; title: string | null }[]> {
  const rows = await db
    .selectFrom('advisory_records as r')
    .innerJoin('advisory_sources as s', 's.id', 'r.source_id')
    .select(['s.name as source', 'r.vuln_id', 'r.severity', 'r.title'])
    .where((eb) =>
      eb.or([
        eb('r.vuln_id', '=', id),
        eb('r.id', 'in', eb.selectFrom('advisory_aliases').select('record_id').where('alias', '=', id)),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    source: r.source,
    vulnId: r.vuln_id,
    severity: fromJsonColumn<SeverityEntry[]>(r.severity, []),
    title: r.title,
  }));
}
