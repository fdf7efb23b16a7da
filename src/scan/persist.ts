import type { Kysely } from 'kysely';
import type { VulnerabilityFinding } from '../core/results.js';
import type { OsInfo, Package } from '../sbom/types.js';
import { insertFindings, listScanFindings } from '../store/findings.js';
import { getImage, listImagePackages, saveImageCatalog } from '../store/images.js';
import { finishScan, startScan } from '../store/scans.js';
import type { Database } from '../store/schema.js';
import { retryOnBusy } from '../store/write-transaction.js';
import { baseImage } from './base-image.js';
import type { AdvisoryCache } from './match.js';
import { type ScanOptions, scanPackages } from './scan.js';
import type { ScanInput, ScanResult } from './types.js';

/**
 * Store one image scan: the image (by digest) with its packages (replaced), a scan row and its findings, in
 * one transaction opened here and handed to each repository. Artifacts without a digest (SBOM files, root
 * file systems) keep only the scan and findings.
 */
export async function saveImageScan(
  db: Kysely<Database>,
  input: ScanInput,
  result: ScanResult,
  options: { started?: Date; now?: Date; kind?: string } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const base = baseImage(input, result.vulnerabilities);
  return retryOnBusy(() =>
    db.transaction().execute(async (tx) => {
      const digest = input.digest;
      if (digest) {
        await saveImageCatalog(
          tx,
          { digest, reference: input.target, os: input.os, packages: input.packages },
          now,
        );
      }
      const scanId = await startScan(tx, options.kind ?? 'image', input.target, options.started ?? now);
      await insertFindings(tx, scanId, digest ?? null, result.vulnerabilities);
      await finishScan(
        tx,
        scanId,
        {
          digest: digest ?? null,
          os: input.os ?? null,
          healthy: result.healthy,
          counts: result.summary,
          packages: input.packages.length,
          // what a later scan of an image on the same base compares its own base against (base-advice.ts)
          ...(base?.name
            ? {
                baseImage: {
                  name: base.name,
                  ...(base.digest ? { digest: base.digest } : {}),
                  ...(base.findings ? { findings: base.findings.base } : {}),
                },
              }
            : {}),
        },
        now,
      );
      return scanId;
    }),
  );
}

/** The stored packages and OS of an image, or undefined when the image was never scanned. */
export async function storedImage(db: Kysely<Database>, digest: string): Promise<ScanInput | undefined> {
  const image = await getImage(db, digest);
  if (!image) return undefined;
  // the store keeps package types as text; only the catalog (or a checked SBOM) ever wrote them
  const packages = (await listImagePackages(db, digest, 'written')) as Package[];
  const os: OsInfo | undefined =
    image.osFamily && image.osVersion ? { family: image.osFamily, version: image.osVersion } : undefined;
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
export async function scanFindings(db: Kysely<Database>, scanId: number): Promise<VulnerabilityFinding[]> {
  return listScanFindings(db, scanId);
}
