import type { Kysely, Transaction } from 'kysely';
import type { VulnerabilityFinding } from '../core/results.js';
import { insertChunks } from './insert-chunks.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Write the findings of one scan (of the image `imageDigest`, when the artifact had one). The only writer of
 * `findings`; opens no transaction, so a scan and its findings commit together when the caller passes one.
 */
export async function insertFindings(
  db: Db,
  scanId: number,
  imageDigest: string | null,
  findings: readonly VulnerabilityFinding[],
): Promise<void> {
  await insertChunks(
    db,
    'findings',
    findings.map((f) => ({
      scan_id: scanId,
      image_digest: imageDigest,
      vuln_id: f.id,
      purl: f.package.purl,
      package_name: f.package.name,
      package_version: f.package.version,
      severity: f.severity,
      status: f.status,
      fixed_version: f.fixedVersion,
      data: toJsonColumn(f),
    })),
  );
}

/** Findings of one stored scan, in the order they were written. */
export async function listScanFindings(db: Db, scanId: number): Promise<VulnerabilityFinding[]> {
  const rows = await db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', scanId)
    .orderBy('id')
    .execute();
  return rows.map((r) => fromJsonColumn<VulnerabilityFinding>(r.data, {} as VulnerabilityFinding));
}

/** How many findings of one stored scan are in packages of the given purl types (`deb`, `apk`, `rpm`). */
export async function countScanFindingsOfTypes(
  db: Db,
  scanId: number,
  types: readonly string[],
): Promise<number> {
  if (types.length === 0) return 0;
  const row = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('scan_id', '=', scanId)
    .where((eb) => eb.or(types.map((t) => eb('purl', 'like', `pkg:${t}/%`))))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
