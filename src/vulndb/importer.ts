import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { UserInputError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { writeSignals } from './exploit-signals.js';
import { parseFiles } from './parse.js';
import { listSources, type SourceFile } from './reader.js';
import { originsWithRows, recordCounts, refreshSources, type SourceCache, writeRecords } from './store.js';

export interface ImportSummary {
  /** Files (or archive entries, bundle sources) imported. */
  files: number;
  /** Files per feed format. */
  formats: Record<string, number>;
  /** Records read from the inputs. */
  records: number;
  added: number;
  updated: number;
  /** Records not stored because the database holds a newer version. */
  older: number;
  /** Affected-package rows written. */
  rows: number;
  /** CISA KEV entries and FIRST EPSS scores stored (per CVE, beside the advisories). */
  kev: number;
  epss: number;
  /** Files in directories or archives that are not feed data (licences, READMEs, peer snapshots…). */
  skipped: { path: string; reason: string }[];
  /** Records a feed could not use, with the reason (first 100). */
  dropped: { path: string; reason: string }[];
  droppedCount: number;
}

export interface ImportOptions {
  /** Accept only Bulkhead bundles signed with this PEM public key. */
  publicKeyPem?: string;
  /** Called after each file with the number done, the total and its name. */
  onFile?: (done: number, total: number, name: string) => void;
  now?: Date;
}

/**
 * Import SOURCE arguments (files, directories, zips, bundles). Each input file is parsed, sniffed and stored
 * in its own transaction; the first bad input stops the import with a UserInputError naming it, and nothing of
 * that input is stored.
 */
export async function importSources(
  db: Kysely<Database>,
  sources: readonly string[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary = await importFiles(db, listSources(sources), options);
  // a directory in which nothing is a known feed is a mistake (the wrong directory, an unsupported feed), not
  // a successful import of nothing
  if (summary.files === 0)
    throw new UserInputError(
      sources.join(', '),
      `no advisory feed found (${summary.skipped.length} files, none in a known feed format: OSV, GitHub advisories, Alpine secdb, Debian, RustSec, Node.js security WG, SUSE, Oracle and Mariner OVAL, Amazon ALAS, Photon, CISA KEV, FIRST EPSS, Bulkhead bundle)`,
    );
  return summary;
}

/** Import files already listed (the update command names its downloads by URL). */
export async function importFiles(
  db: Kysely<Database>,
  files: readonly SourceFile[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    files: 0,
    formats: {},
    records: 0,
    added: 0,
    updated: 0,
    older: 0,
    rows: 0,
    kev: 0,
    epss: 0,
    skipped: [],
    dropped: [],
    droppedCount: 0,
  };
  const sources: SourceCache = new Map();
  const before = await recordCounts(db);
  const bulk = await bulkLoad(db);
  try {
    await importEach(db, files, options, summary, sources, await originsWithRows(db));
  } finally {
    await bulk.end();
  }
  await refreshSources(db, sources.keys(), options.now);
  const after = await recordCounts(db);
  summary.added = [...after].reduce((n, [name, count]) => n + count - (before.get(name) ?? 0), 0);
  summary.updated -= summary.added;
  return summary;
}

/**
 * On SQLite, checkpoint the write-ahead log every ~80 MB instead of every 4 MB while an import commits its
 * thousands of small transactions (each checkpoint syncs the disk), then checkpoint once and shrink the log.
 */
async function bulkLoad(db: Kysely<Database>): Promise<{ end(): Promise<void> }> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return { end: async () => {} };
  await sql`pragma wal_autocheckpoint = 20000`.execute(db);
  return {
    end: async () => {
      await sql`pragma wal_autocheckpoint = 1000`.execute(db);
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    },
  };
}

async function importEach(
  db: Kysely<Database>,
  files: readonly SourceFile[],
  options: ImportOptions,
  summary: ImportSummary,
  sources: SourceCache,
  knownOrigins: Set<string>,
): Promise<void> {
  const readOptions = options.publicKeyPem ? { publicKeyPem: options.publicKeyPem } : {};
  for await (const { i, items } of parseFiles(files, readOptions)) {
    const file = files[i]!;
    for (const item of items) {
      if (item.kind === 'skipped') {
        summary.skipped.push({ path: item.path, reason: item.reason });
        continue;
      }
      for (const reason of item.dropped) {
        summary.droppedCount++;
        if (summary.dropped.length < 100) summary.dropped.push({ path: item.name, reason });
      }
      const written = await writeRecords(db, item.records, item.origin, {
        ...(options.now ? { now: options.now } : {}),
        sources,
        knownOrigins,
      });
      const signals = await writeSignals(db, item.signals, item.origin);
      summary.kev += signals.kev;
      summary.epss += signals.epss;
      knownOrigins.add(item.origin);
      summary.files++;
      summary.formats[item.feed] = (summary.formats[item.feed] ?? 0) + 1;
      summary.records += item.records.length;
      summary.updated += written.written;
      summary.older += written.older;
      summary.rows += written.rows;
    }
    options.onFile?.(i + 1, files.length, file.path);
  }
}
