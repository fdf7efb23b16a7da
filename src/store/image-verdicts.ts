import type { Kysely, Transaction } from 'kysely';
import { chunked } from './insert-chunks.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The findings of an image's latest stored scan, as the admission vulnerability gate needs them. */
export interface ImageFindings {
  /** Image digest of the scan, when it had one. */
  digest: string | null;
  /** The scanned reference (scan target). */
  reference: string;
  scanId: number;
  scannedAt: string;
  findings: { id: string; severity: string }[];
}

/**
 * The latest image scan (`image` or `image-rematch`) of every scanned target and digest, with its findings' ids
 * and severities. One query for the scans and one for the findings of the scans kept.
 */
export async function latestImageFindings(db: Db): Promise<ImageFindings[]> {
  const scans = await db
    .selectFrom('scans')
    .select(['id', 'target', 'started_at', 'summary'])
    .where('kind', 'in', ['image', 'image-rematch'])
    .where('finished_at', 'is not', null)
    .orderBy('id', 'desc')
    .execute();
  const latest = new Map<string, ImageFindings>();
  const seen = new Set<string>();
  for (const s of scans) {
    let digest: string | null = null;
    try {
      const summary = JSON.parse(s.summary) as { digest?: unknown };
      digest = typeof summary.digest === 'string' ? summary.digest : null;
    } catch {
      digest = null;
    }
    const keys = [`ref:${s.target}`, ...(digest ? [`digest:${digest}`] : [])];
    if (keys.every((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    latest.set(String(s.id), {
      digest,
      reference: s.target,
      scanId: s.id,
      scannedAt: s.started_at,
      findings: [],
    });
  }
  const ids = [...latest.values()].map((l) => l.scanId);
  for (const part of chunked(ids, 1)) {
    const rows = await db
      .selectFrom('findings')
      .select(['scan_id', 'vuln_id', 'severity'])
      .where('scan_id', 'in', part)
      .orderBy('id')
      .execute();
    for (const r of rows)
      latest.get(String(r.scan_id))?.findings.push({ id: r.vuln_id, severity: r.severity });
  }
  return [...latest.values()];
}
