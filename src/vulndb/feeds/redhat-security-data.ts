import type { AdvisoryRecord, AdvisoryState, AffectedPackage, SeverityEntry } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { redhatNamespace, redhatPlatform } from '../namespaces.js';
import { rpm } from '../versions/rpm.js';
import { cvssEntry, isRecord, str, strings, vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const CVE = /^CVE-\d{4}-\d+$/;

/**
 * `name-epoch:version-release` (the API's usual form), `epoch:name-version-release` (older records) or
 * `name-version-release` → name and `[epoch:]version-release`; undefined when no version can be told apart
 * (an application stream such as `nodejs:18`).
 */
export function splitNevra(text: string): { name: string; evr?: string } {
  const s = text.trim();
  const colon = s.indexOf(':');
  if (colon > 0) {
    const head = s.slice(0, colon);
    const tail = s.slice(colon + 1);
    if (/^\d+$/.test(head)) {
      const parts = tail.split('-');
      if (parts.length < 3) return { name: parts[0] ?? tail };
      return { name: parts.slice(0, -2).join('-'), evr: `${head}:${parts.slice(-2).join('-')}` };
    }
    const dash = head.lastIndexOf('-');
    if (dash > 0 && /^\d+$/.test(head.slice(dash + 1)))
      return { name: head.slice(0, dash), evr: `${head.slice(dash + 1)}:${tail}` };
    return { name: head };
  }
  const parts = s.split('-');
  if (parts.length < 3) return { name: s };
  return { name: parts.slice(0, -2).join('-'), evr: parts.slice(-2).join('-') };
}

/** `module:stream/package` (Red Hat's notation for a modular package) → the parts. */
function moduleOf(packageName: string): { module?: string; name: string } {
  const slash = packageName.indexOf('/');
  return slash > 0
    ? { module: packageName.slice(0, slash), name: packageName.slice(slash + 1) }
    : { name: packageName };
}

/** A package_state fix_state → state; undefined for states that say nothing yet (New, Under investigation). */
const FIX_STATES: Readonly<Record<string, { state: AdvisoryState; reason: string | null }>> = {
  affected: { state: 'affected', reason: null },
  'fix deferred': { state: 'fix_deferred', reason: 'fix deferred' },
  'will not fix': { state: 'will_not_fix', reason: 'will not fix' },
  'out of support scope': { state: 'end_of_life', reason: 'out of support scope' },
  'not affected': { state: 'not_affected', reason: 'not affected' },
};

/**
 * Rows keyed by namespace and package. Modular packages are keyed `module:stream/name`, the way Red Hat
 * writes them, so that a module's fix never applies to the non-modular package of the same name.
 */
function rowKey(namespace: string, pkg: string): string {
  return `${namespace}\u0000${pkg}`;
}

function severityOf(doc: Record<string, unknown>): SeverityEntry[] {
  const out: SeverityEntry[] = [];
  const word = str(doc.threat_severity) ?? str(doc.severity);
  if (word) out.push(vendorEntry('redhat', word));
  const cvss3 = isRecord(doc.cvss3) ? doc.cvss3 : undefined;
  const vector = str(cvss3?.cvss3_scoring_vector) ?? str(doc.cvss3_scoring_vector);
  const score = Number(str(cvss3?.cvss3_base_score) ?? str(doc.cvss3_score));
  if (vector) out.push(cvssEntry('redhat', vector, Number.isFinite(score) ? score : undefined));
  return out;
}

/** The full CVE document: fixed releases from `affected_release`, the rest from `package_state`. */
function importFull(doc: Record<string, unknown>, id: string, sink: FeedSink): void {
  const rows = new Map<string, AffectedPackage>();
  const advisories: string[] = [];
  const unfixed = new Set<string>();
  for (const ps of Array.isArray(doc.package_state) ? doc.package_state : []) {
    if (!isRecord(ps)) continue;
    const platform = redhatPlatform(str(ps.product_name) ?? '');
    const named = str(ps.package_name);
    const decided = FIX_STATES[(str(ps.fix_state) ?? '').toLowerCase()];
    if (!platform || !named || !decided) continue;
    const { module } = moduleOf(named);
    if (module?.endsWith(':flatpak')) continue; // a Flatpak's bundled copy, not an RPM
    const namespace = redhatNamespace(platform);
    const key = rowKey(namespace, named);
    if (decided.state !== 'not_affected') unfixed.add(key);
    if (rows.has(key)) continue;
    rows.set(key, {
      namespace,
      package: named,
      state: decided.state,
      reason: decided.reason,
      ranges: decided.state === 'not_affected' ? [] : [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
      versions: [],
      fixedVersion: null,
      severity: [],
    });
  }
  const fixedAt = new Map<string, string>();
  for (const ar of Array.isArray(doc.affected_release) ? doc.affected_release : []) {
    if (!isRecord(ar)) continue;
    const platform = redhatPlatform(str(ar.product_name) ?? '');
    const nevra = str(ar.package);
    if (!platform || !nevra) continue;
    const { name, evr } = splitNevra(nevra);
    if (!evr) continue;
    const namespace = redhatNamespace(platform);
    const key = rowKey(namespace, name);
    const advisory = str(ar.advisory);
    if (advisory) advisories.push(advisory);
    // a package still listed as affected for the release has only a partial fix
    if (unfixed.has(key)) continue;
    const prior = rows.get(key);
    if (prior?.state === 'fixed' && prior.fixedVersion && rpm.compare(prior.fixedVersion, evr) >= 0) continue;
    rows.set(key, {
      namespace,
      package: name,
      state: 'fixed',
      reason: advisory ?? null,
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: evr }] }],
      versions: [],
      fixedVersion: evr,
      severity: [],
    });
    const date = isoOrNull(ar.release_date);
    if (date) fixedAt.set(key, date);
  }
  const bugzilla = isRecord(doc.bugzilla) ? doc.bugzilla : {};
  const details = strings(doc.details);
  sink.add({
    source: 'redhat',
    format: 'redhat-security-data',
    id,
    aliases: [],
    title: str(bugzilla.description) ?? null,
    severity: severityOf(doc),
    references: uniq([
      `https://access.redhat.com/security/cve/${id}`,
      ...uniq(advisories).map((a) => `https://access.redhat.com/errata/${a}`),
      str(bugzilla.url),
      ...strings(doc.references).flatMap((r) => r.split(/\s+/)),
    ]),
    published: isoOrNull(doc.public_date),
    modified: null,
    withdrawn: null,
    affected: [...rows.values()],
    extra: {
      ...(details.length ? { details: details[details.length - 1] } : {}),
      ...(str(doc.cwe) ? { cwe: str(doc.cwe) } : {}),
      ...(fixedAt.size ? { fixedAt: Object.fromEntries(fixedAt) } : {}),
    },
  });
}

/**
 * The list form (`cve.json` pages, one object per CVE): severity and advisories, but no product per package,
 * so no affected rows; the full document of the same CVE carries those.
 */
function importSummary(doc: Record<string, unknown>, id: string, sink: FeedSink): void {
  const record: AdvisoryRecord = {
    source: 'redhat',
    format: 'redhat-security-data',
    id,
    aliases: [],
    title: str(doc.bugzilla_description) ?? null,
    severity: severityOf(doc),
    references: uniq([
      `https://access.redhat.com/security/cve/${id}`,
      ...strings(doc.advisories).map((a) => `https://access.redhat.com/errata/${a}`),
    ]),
    published: isoOrNull(doc.public_date),
    modified: null,
    withdrawn: null,
    affected: [],
  };
  sink.add(record);
}

const isFull = (d: Record<string, unknown>) =>
  typeof d.name === 'string' &&
  CVE.test(d.name) &&
  ('affected_release' in d || 'package_state' in d || 'threat_severity' in d);
const isSummary = (d: unknown): d is Record<string, unknown> =>
  isRecord(d) && typeof d.CVE === 'string' && 'resource_url' in d;

/** Red Hat's Security Data API (access.redhat.com/hydra/rest/securitydata): one CVE document, or a list page. */
export const redhatSecurityData = {
  name: 'redhat-security-data',
  description: 'Red Hat Security Data API CVE JSON (per-release fixes, fix states, threat severity)',
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    if (Array.isArray(d)) return d.length > 0 && d.every(isSummary);
    return isRecord(d) && (isFull(d) || isSummary(d));
  },
  import(input: FeedInput, sink: FeedSink): void {
    const docs = Array.isArray(input.doc) ? input.doc : [input.doc];
    for (const d of docs) {
      if (!isRecord(d)) {
        sink.drop('not an object');
        continue;
      }
      const id = str(d.name) ?? str(d.CVE);
      if (!id || !CVE.test(id)) {
        sink.drop(`Red Hat CVE document: bad or missing CVE id "${id ?? ''}"`);
        continue;
      }
      if (isSummary(d)) importSummary(d, id, sink);
      else importFull(d, id, sink);
    }
  },
} satisfies Feed;
