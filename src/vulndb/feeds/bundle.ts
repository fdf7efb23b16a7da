import { z } from 'zod';
import { ADVISORY_STATES } from '../model.js';
import { isRecord } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const Severity = z.object({
  source: z.string(),
  type: z.enum(['vendor', 'CVSS_V2', 'CVSS_V3', 'CVSS_V4']),
  value: z.string(),
  score: z.number().optional(),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']),
});
const Range = z.union([
  z.object({
    type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
    repo: z.string().optional(),
    events: z.array(z.partialRecord(z.enum(['introduced', 'fixed', 'last_affected', 'limit']), z.string())),
  }),
  z.object({
    type: z.literal('REQUIREMENTS'),
    affected: z.string().optional(),
    unaffected: z.array(z.string()),
  }),
]);
/** Bulkhead's own normalized record, as bundles carry it: strict, it is our format. */
const BundleRecord = z.object({
  source: z.string().min(1),
  format: z.string(),
  id: z.string().min(1),
  aliases: z.array(z.string()),
  title: z.string().nullable(),
  severity: z.array(Severity),
  references: z.array(z.string()),
  published: z.string().nullable(),
  modified: z.string().nullable(),
  withdrawn: z.string().nullable(),
  affected: z.array(
    z.object({
      namespace: z.string(),
      package: z.string(),
      state: z.enum(ADVISORY_STATES),
      reason: z.string().nullable().optional(),
      ranges: z.array(Range),
      versions: z.array(z.string()),
      fixedVersion: z.string().nullable(),
      severity: z.array(Severity),
    }),
  ),
  extra: z.record(z.string(), z.unknown()).optional(),
});

/** One source of a Bulkhead advisory bundle (the reader verifies the bundle's checksums first). */
export const bundle = {
  name: 'bundle',
  description: "Bulkhead's own advisory bundle (db bundle create): checksummed NDJSON per source in a zip",
  sniff(input: FeedInput): boolean {
    return isRecord(input.doc) && input.doc.bulkheadBundle === 1 && Array.isArray(input.doc.records);
  },
  import(input: FeedInput, sink: FeedSink): void {
    for (const r of (input.doc as { records: unknown[] }).records) {
      const parsed = BundleRecord.safeParse(r);
      if (!parsed.success) {
        sink.drop(`bad bundle record: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        continue;
      }
      sink.add(parsed.data as never);
    }
  },
} satisfies Feed;
