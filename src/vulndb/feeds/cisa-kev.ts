import { z } from 'zod';
import { isRecord } from './common.js';
import { issue } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a YYYY-MM-DD date');

/** One catalog entry (CISA's known_exploited_vulnerabilities_schema.json): what a finding needs is required. */
const KevVulnerability = z.looseObject({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'not a CVE id'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: day,
  dueDate: day.optional().nullable(),
  knownRansomwareCampaignUse: z.string().optional().nullable(),
});

function isCatalog(doc: unknown): doc is { vulnerabilities: unknown[]; catalogVersion?: unknown } {
  return (
    isRecord(doc) &&
    Array.isArray(doc.vulnerabilities) &&
    (typeof doc.catalogVersion === 'string' || /known exploited/i.test(String(doc.title ?? ''))) &&
    doc.vulnerabilities.every((v) => isRecord(v) && 'cveID' in v)
  );
}

/** CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json). */
export const cisaKev = {
  name: 'cisa-kev',
  description: "CISA's Known Exploited Vulnerabilities catalog (JSON)",
  sniff(input: FeedInput): boolean {
    return input.kind === 'json' && isCatalog(input.doc);
  },
  import(input: FeedInput, sink: FeedSink): void {
    if (!isCatalog(input.doc)) return;
    const catalogVersion = typeof input.doc.catalogVersion === 'string' ? input.doc.catalogVersion : null;
    for (const v of input.doc.vulnerabilities) {
      const checked = KevVulnerability.safeParse(v);
      if (!checked.success) {
        sink.drop(`KEV entry ${String((v as { cveID?: unknown }).cveID ?? '')}: ${issue(checked.error)}`);
        continue;
      }
      const e = checked.data;
      sink.signal({
        kind: 'kev',
        cve: e.cveID,
        vendorProject: e.vendorProject,
        product: e.product,
        name: e.vulnerabilityName,
        dateAdded: e.dateAdded,
        dueDate: e.dueDate ?? null,
        knownRansomwareCampaignUse: e.knownRansomwareCampaignUse ?? 'Unknown',
        catalogVersion,
      });
    }
  },
} satisfies Feed;
