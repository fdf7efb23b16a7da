import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { debianNamespace } from '../namespaces.js';
import { debianState, isRecord, sourceForId, str, strings, vendorEntry } from './common.js';
import { issue, VulnListEntry } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

function row(a: Record<string, unknown>): AffectedPackage | undefined {
  const pkg = str(a.Package);
  const kind = str(a.Kind);
  if (!pkg || !kind) return undefined;
  const namespace = debianNamespace(str(a.Release) ?? 'sid');
  const decision = debianState(kind);
  if (!namespace || !decision) return undefined;
  const version = str(a.Version);
  const urgency = str(a.Severity);
  const fixed = decision.state === 'fixed' ? (version ?? null) : null;
  const never = fixed === '0';
  return {
    namespace,
    package: pkg,
    state: never ? 'not_affected' : decision.state,
    reason: str(a.Description) ?? decision.reason ?? (never ? 'never affected' : null),
    ranges:
      decision.state === 'not_affected' || never
        ? []
        : [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }],
    versions: [],
    fixedVersion: never ? null : fixed,
    severity: urgency ? [vendorEntry('debian', urgency)] : [],
  };
}

/**
 * aquasecurity/vuln-list-debian renderings of the tracker (`tracker/CVE/*.json`, `tracker/DSA/*.json`,
 * `tracker/DLA/*.json`): the original tracker lines split into annotations. A line without a release is sid.
 */
export const debianVulnList = {
  name: 'debian-vuln-list',
  description: 'Debian tracker CVE/DSA/DLA entries as rendered by vuln-list-debian (Header + Annotations)',
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    return (
      isRecord(d) && isRecord(d.Header) && typeof d.Header.ID === 'string' && Array.isArray(d.Annotations)
    );
  },
  import(input: FeedInput, sink: FeedSink): void {
    const checked = VulnListEntry.safeParse(input.doc);
    if (!checked.success) {
      sink.drop(`vuln-list entry: ${issue(checked.error)}`);
      return;
    }
    const d = input.doc as { Header: Record<string, unknown>; Annotations: unknown[] };
    const id = str(d.Header.ID)!;
    const isAdvisory = /^(DSA|DLA|DTSA)-/.test(id);
    const date = /^\[(\d{1,2} \w{3} \d{4})\]/.exec(str(d.Header.Original) ?? '')?.[1];
    const record: AdvisoryRecord = {
      source: isAdvisory ? sourceForId(id) : 'debian-tracker',
      format: 'debian-vuln-list',
      id,
      aliases: [],
      title: str(d.Header.Description) ?? null,
      severity: [],
      references: isAdvisory ? [] : [`https://security-tracker.debian.org/tracker/${id}`],
      published: date ? isoOrNull(`${date} 00:00:00 UTC`) : null,
      modified: null,
      withdrawn: null,
      affected: [],
    };
    const notes: string[] = [];
    for (const a of d.Annotations) {
      if (!isRecord(a)) continue;
      const type = str(a.Type);
      if (type === 'package') {
        const r = row(a);
        if (!r) continue;
        const same = record.affected.findIndex((x) => x.namespace === r.namespace && x.package === r.package);
        if (same >= 0) record.affected[same] = r;
        else record.affected.push(r);
      } else if (type === 'xref') {
        record.aliases = uniq([...record.aliases, ...strings(a.Bugs)]);
      } else if (type === 'NOTE' && str(a.Description)) notes.push(str(a.Description)!);
    }
    if (notes.length) record.extra = { notes };
    sink.add(record);
  },
} satisfies Feed;
