import type { Kysely } from 'kysely';
import type { OsInfo, Package, PurlType } from '../sbom/types.js';
import { fromJsonColumn, toJsonColumn } from '../store/json-column.js';
import { finishScan, startScan } from '../store/scans.js';
import type { Database } from '../store/schema.js';
import type { AdvisoryCache } from './match.js';
import { type ScanOptions, scanPackages } from './scan.js';
import type { Finding, ScanInput, ScanResult } from './types.js';

const CHUNK = 200;

/**
 * Store one image scan: the image (by digest) with its packages (replaced), a scan row and its findings, in
 * one transaction. Artifacts without a digest (SBOM files, root file systems) keep only the scan and findings.
 */
export async function saveImageScan(
  db: Kysely<Database>,
  input: ScanInput,
  result: ScanResult,
  options: { started?: Date; now?: Date; kind?: string } = {},
): Promise<number> {
  const now = (options.now ?? new Date()).toISOString();
  return db.transaction().execute(async (tx) => {
    const digest = input.digest;
    if (digest) {
      const existing = await tx
        .selectFrom('images')
        .select('digest')
        .where('digest', '=', digest)
        .executeTakeFirst();
      if (existing) {
        await tx
          .updateTable('images')
          .set({
            reference: input.target,
            os_family: input.os?.family ?? null,
            os_version: input.os?.version ?? null,
            last_seen: now,
          })
          .where('digest', '=', digest)
          .execute();
        await tx.deleteFrom('image_packages').where('image_digest', '=', digest).execute();
      } else {
        await tx
          .insertInto('images')
          .values({
            digest,
            reference: input.target,
            os_family: input.os?.family ?? null,
            os_version: input.os?.version ?? null,
            first_seen: now,
            last_seen: now,
          })
          .execute();
      }
      for (let i = 0; i < input.packages.length; i += CHUNK) {
        await tx
          .insertInto('image_packages')
          .values(
            input.packages.slice(i, i + CHUNK).map((p) => ({
              image_digest: digest,
              name: p.name,
              version: p.version,
              type: p.type,
              purl: p.purl,
              source_name: p.sourceName ?? null,
              source_version: p.sourceVersion ?? null,
              layer: p.layer ?? null,
              path: p.path ?? null,
            })),
          )
          .execute();
      }
    }
    const scanId = await startScan(
      tx,
      options.kind ?? 'image',
      input.target,
      options.started ?? new Date(now),
    );
    const rows = result.vulnerabilities.map((f) => ({
      scan_id: scanId,
      image_digest: digest ?? null,
      vuln_id: f.id,
      purl: f.package.purl,
      package_name: f.package.name,
      package_version: f.package.version,
      severity: f.severity,
      status: f.status,
      fixed_version: f.fixedVersion,
      data: toJsonColumn(f),
    }));
    for (let i = 0; i < rows.length; i += CHUNK)
      await tx
        .insertInto('findings')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    await finishScan(
      tx,
      scanId,
      {
        digest: digest ?? null,
        os: input.os ?? null,
        healthy: result.healthy,
        counts: result.summary,
        packages: input.packages.length,
      },
      new Date(now),
    );
    return scanId;
  });
}

/** The stored packages and OS of an image, or undefined when the image was never scanned. */
export async function storedImage(db: Kysely<Database>, digest: string): Promise<ScanInput | undefined> {
  const image = await db.selectFrom('images').selectAll().where('digest', '=', digest).executeTakeFirst();
  if (!image) return undefined;
  const rows = await db
    .selectFrom('image_packages')
    .selectAll()
    .where('image_digest', '=', digest)
    .orderBy('id')
    .execute();
  const packages: Package[] = rows.map((r) => ({
    name: r.name,
    version: r.version,
    type: r.type as PurlType,
    purl: r.purl,
    ...(r.source_name ? { sourceName: r.source_name } : {}),
    ...(r.source_version ? { sourceVersion: r.source_version } : {}),
    ...(r.layer ? { layer: r.layer } : {}),
    ...(r.path ? { path: r.path } : {}),
  }));
  const os: OsInfo | undefined =
    image.os_family && image.os_version ? { family: image.os_family, version: image.os_version } : undefined;
  return { target: image.reference, digest, packages, ...(os ? { os } : {}) };
}

/**
 * Re-match an image's stored packages against the advisories as they are now, without pulling the image:
 * the result is stored as a new scan (kind `image-rematch`) and returned. Undefined when the digest is unknown.
 */
export async function rematch(
  db: Kysely<Database>,
  imageDigest: string,
  options: ScanOptions & { store?: boolean; cache?: AdvisoryCache } = {},
): Promise<{ scanId?: number; result: ScanResult } | undefined> {
  const input = await storedImage(db, imageDigest);
  if (!input) return undefined;
  const result = await scanPackages(db, input, options);
  if (options.store === false) return { result };
  const scanId = await saveImageScan(db, input, result, { kind: 'image-rematch' });
  return { scanId, result };
}

/** Findings of one stored scan. */
export async function scanFindings(db: Kysely<Database>, scanId: number): Promise<Finding[]> {
  const rows = await db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', scanId)
    .orderBy('id')
    .execute();
  return rows.map((r) => fromJsonColumn<Finding>(r.data, {} as Finding));
}
