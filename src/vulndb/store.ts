import type { Kysely, Transaction } from 'kysely';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import type { Database } from '../store/schema.js';
import type {
  AdvisoryRecord,
  AdvisoryState,
  AffectedPackage,
  AffectedRange,
  SeverityEntry,
} from './model.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 400;

export interface WriteSummary {
  /** Records new to the database. */
  added: number;
  /** Records replaced by a newer or same-origin version. */
  updated: number;
  /** Records kept because the stored one is newer. */
  older: number;
  /** Affected-package rows written. */
  rows: number;
}

interface SourceRow {
  id: number;
  records: number;
  newest: string | null;
}

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function newestOf(r: AdvisoryRecord): string | null {
  const dates = [r.modified, r.published].filter((d): d is string => d !== null);
  return dates.sort().at(-1) ?? null;
}

/** Several records of one id in one input: the later affected rows replace earlier ones of the same package. */
function dedupe(records: readonly AdvisoryRecord[]): AdvisoryRecord[] {
  const byKey = new Map<string, AdvisoryRecord>();
  for (const r of records) {
    const key = `${r.source}\u0000${r.id}`;
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...r, affected: [...r.affected] });
      continue;
    }
    const affected = prev.affected.filter(
      (a) => !r.affected.some((b) => b.namespace === a.namespace && b.package === a.package),
    );
    byKey.set(key, {
      ...r,
      aliases: [...new Set([...prev.aliases, ...r.aliases])],
      affected: [...affected, ...r.affected],
    });
  }
  return [...byKey.values()];
}

async function sourceRow(tx: Db, name: string, format: string, now: string): Promise<SourceRow> {
  const found = await tx
    .selectFrom('advisory_sources')
    .select(['id', 'records', 'newest'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (found) return { id: found.id, records: Number(found.records), newest: found.newest };
  const row = await tx
    .insertInto('advisory_sources')
    .values({ name, format, records: 0, imported_at: now, newest: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, records: 0, newest: null };
}

function recordColumns(r: AdvisoryRecord, sourceId: number, aliases: string[]) {
  return {
    source_id: sourceId,
    vuln_id: r.id,
    aliases: toJsonColumn(aliases),
    title: r.title,
    severity: toJsonColumn(r.severity),
    refs: toJsonColumn(r.references),
    published: r.published,
    modified: r.modified,
    withdrawn: r.withdrawn,
    data: toJsonColumn({ format: r.format, ...r.extra }),
  };
}

function affectedColumns(a: AffectedPackage, recordId: number, origin: string) {
  return {
    record_id: recordId,
    namespace: a.namespace,
    package: a.package,
    state: a.state,
    reason: a.reason ?? null,
    ranges: toJsonColumn(a.ranges),
    versions: toJsonColumn(a.versions),
    fixed_version: a.fixedVersion,
    severity: toJsonColumn(a.severity),
    origin,
  };
}

/**
 * Store the records read from one input (`origin`: its path or URL) in one transaction: all of it or none.
 * A stored record is replaced unless it is strictly newer (by `modified`); its affected rows from this
 * origin are replaced, rows another origin gave (another release's secdb file) stay.
 */
export async function writeRecords(
  db: Kysely<Database>,
  input: readonly AdvisoryRecord[],
  origin: string,
  now = new Date(),
): Promise<WriteSummary> {
  const at = now.toISOString();
  const summary: WriteSummary = { added: 0, updated: 0, older: 0, rows: 0 };
  const records = dedupe(input);
  const bySource = new Map<string, AdvisoryRecord[]>();
  for (const r of records) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);

  await db.transaction().execute(async (tx) => {
    for (const [name, list] of bySource) {
      const source = await sourceRow(tx, name, list[0]!.format, at);
      let added = 0;
      let newest = source.newest;
      for (const batch of chunks(list)) {
        const existing = await tx
          .selectFrom('advisory_records')
          .select(['id', 'vuln_id', 'modified', 'aliases'])
          .where('source_id', '=', source.id)
          .where(
            'vuln_id',
            'in',
            batch.map((r) => r.id),
          )
          .execute();
        const stored = new Map(existing.map((e) => [e.vuln_id, e]));
        const fresh: AdvisoryRecord[] = [];
        const ids = new Map<string, number>();
        for (const r of batch) {
          const old = stored.get(r.id);
          if (!old) {
            fresh.push(r);
            continue;
          }
          if (old.modified && (!r.modified || r.modified < old.modified)) {
            summary.older++;
            continue;
          }
          const aliases = [...new Set([...fromJsonColumn<string[]>(old.aliases, []), ...r.aliases])];
          await tx
            .updateTable('advisory_records')
            .set(recordColumns(r, source.id, aliases))
            .where('id', '=', old.id)
            .execute();
          ids.set(r.id, old.id);
          summary.updated++;
        }
        if (ids.size > 0) {
          await tx
            .deleteFrom('advisories')
            .where('record_id', 'in', [...ids.values()])
            .where('origin', '=', origin)
            .execute();
        }
        if (fresh.length > 0) {
          const inserted = await tx
            .insertInto('advisory_records')
            .values(fresh.map((r) => recordColumns(r, source.id, r.aliases)))
            .returning(['id', 'vuln_id'])
            .execute();
          for (const row of inserted) ids.set(row.vuln_id, row.id);
          added += fresh.length;
        }
        const rows = batch.flatMap((r) => {
          const id = ids.get(r.id);
          return id === undefined ? [] : r.affected.map((a) => affectedColumns(a, id, origin));
        });
        for (const part of chunks(rows)) {
          await tx
            .insertInto('advisories')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['record_id', 'namespace', 'package']).doUpdateSet((eb) => ({
                state: eb.ref('excluded.state'),
                reason: eb.ref('excluded.reason'),
                ranges: eb.ref('excluded.ranges'),
                versions: eb.ref('excluded.versions'),
                fixed_version: eb.ref('excluded.fixed_version'),
                severity: eb.ref('excluded.severity'),
                origin: eb.ref('excluded.origin'),
              })),
            )
            .execute();
        }
        summary.rows += rows.length;
        const aliasRows = batch.flatMap((r) => {
          const id = ids.get(r.id);
          return id === undefined ? [] : r.aliases.map((alias) => ({ record_id: id, alias }));
        });
        for (const part of chunks(aliasRows)) {
          await tx
            .insertInto('advisory_aliases')
            .values(part)
            .onConflict((oc) => oc.columns(['record_id', 'alias']).doNothing())
            .execute();
        }
        for (const r of batch) {
          const n = newestOf(r);
          if (n && ids.has(r.id) && (!newest || n > newest)) newest = n;
        }
      }
      summary.added += added;
      await tx
        .updateTable('advisory_sources')
        .set({ records: source.records + added, newest, imported_at: at })
        .where('id', '=', source.id)
        .execute();
    }
  });
  return summary;
}

export interface SourceStatus {
  name: string;
  format: string;
  records: number;
  importedAt: string;
  newest: string | null;
}

/** What the database holds: records per source. */
export async function advisoryStatus(db: Db): Promise<{ advisories: number; sources: SourceStatus[] }> {
  const rows = await db.selectFrom('advisory_sources').selectAll().orderBy('name').execute();
  const sources = rows.map((r) => ({
    name: r.name,
    format: r.format,
    records: Number(r.records),
    importedAt: r.imported_at,
    newest: r.newest,
  }));
  return { advisories: sources.reduce((n, s) => n + s.records, 0), sources };
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
  const rows = await db
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
    ])
    .where('a.namespace', '=', namespace)
    .where('a.package', '=', pkg)
    .orderBy('r.vuln_id')
    .execute();
  return rows.map((r) => ({
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
  }));
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
