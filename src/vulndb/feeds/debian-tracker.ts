import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { debianNamespace } from '../namespaces.js';
import { debianState, isRecord, str, vendorEntry } from './common.js';
import { issue, TrackerEntry } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const VULN_ID = /^(CVE|TEMP)-/;

function releaseRow(
  codename: string,
  pkg: string,
  rel: Record<string, unknown>,
): AffectedPackage | undefined {
  const namespace = debianNamespace(codename);
  if (!namespace) return undefined;
  const urgency = str(rel.urgency);
  const severity = urgency && urgency !== 'end-of-life' ? [vendorEntry('debian', urgency)] : [];
  const status = str(rel.status);
  const fixed = str(rel.fixed_version);
  const base = { namespace, package: pkg, versions: [], severity };
  if (status === 'resolved') {
    if (fixed === '0')
      return { ...base, state: 'not_affected', reason: 'never affected', ranges: [], fixedVersion: null };
    return {
      ...base,
      state: 'fixed',
      reason: null,
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }],
      fixedVersion: fixed ?? null,
    };
  }
  let decision = debianState(status === 'undetermined' ? 'undetermined' : 'unfixed')!;
  if (urgency === 'end-of-life') decision = debianState('end-of-life')!;
  else if (str(rel.nodsa) !== undefined) {
    const why = str(rel.nodsa_reason);
    decision = debianState(why === 'postponed' || why === 'ignored' ? why : 'no-dsa')!;
  }
  return {
    ...base,
    state: decision.state,
    reason: str(rel.nodsa) ?? decision.reason ?? null,
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    fixedVersion: null,
  };
}

/** The tracker's JSON export (security-tracker.debian.org/tracker/data/json): source → CVE → releases. */
export const debianTracker = {
  name: 'debian-tracker',
  description: 'Debian security tracker JSON export (package → CVE → per-release status, urgency)',
  sniff(input: FeedInput): boolean {
    const doc = input.doc;
    if (!isRecord(doc)) return false;
    const first = Object.values(doc).find(isRecord);
    if (!first) return false;
    const [key, value] = Object.entries(first)[0] ?? [];
    return key !== undefined && VULN_ID.test(key) && isRecord(value) && 'releases' in value;
  },
  import(input: FeedInput, sink: FeedSink): void {
    const records = new Map<string, AdvisoryRecord>();
    for (const [pkg, cves] of Object.entries(input.doc as Record<string, unknown>)) {
      if (!isRecord(cves)) {
        sink.drop(`package ${pkg}: not an object`);
        continue;
      }
      for (const [id, entry] of Object.entries(cves)) {
        const checked = TrackerEntry.safeParse(entry);
        if (!checked.success || !isRecord(entry) || !VULN_ID.test(id)) {
          sink.drop(`${pkg} ${id}: ${checked.success ? 'not a vulnerability id' : issue(checked.error)}`);
          continue;
        }
        let record = records.get(id);
        if (!record) {
          record = {
            source: 'debian-tracker',
            format: 'debian-tracker',
            id,
            aliases: [],
            title: str(entry.description) ?? null,
            severity: [],
            references: [`https://security-tracker.debian.org/tracker/${id}`],
            published: null,
            modified: null,
            withdrawn: null,
            affected: [],
          };
          records.set(id, record);
        }
        const releases = isRecord(entry.releases) ? entry.releases : {};
        for (const [codename, rel] of Object.entries(releases)) {
          if (!isRecord(rel)) continue;
          const row = releaseRow(codename, pkg, rel);
          if (row) record.affected.push(row);
        }
        const bug = entry.debianbug;
        if (bug !== undefined && bug !== null) record.extra = { ...record.extra, [`debianbug:${pkg}`]: bug };
        if (str(entry.scope)) record.extra = { ...record.extra, scope: str(entry.scope) };
      }
    }
    for (const r of records.values()) sink.add(r);
  },
} satisfies Feed;
