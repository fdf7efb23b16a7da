import type { AdvisoryRecord } from '../model.js';
import { uniq } from '../model.js';
import { isRecord, str, strings } from './common.js';
import { issue, SecdbPackage } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

interface Distro {
  source: string;
  namespace: string;
}

/** Which distro a secdb document is for: Alpine names its branch; Wolfi, Chainguard and MinimOS are rolling. */
function distroOf(doc: Record<string, unknown>): Distro {
  const branch = str(doc.distroversion);
  if (branch) return { source: 'alpine-secdb', namespace: `apk/alpine/${branch.replace(/^v/, '')}` };
  const repo = str(doc.reponame) ?? '';
  const url = str(doc.urlprefix) ?? '';
  if (repo === 'chainguard' || /cgr\.dev|chainguard/.test(url))
    return { source: 'chainguard-secdb', namespace: 'apk/chainguard/rolling' };
  if (/mini\.dev|minimos/.test(url)) return { source: 'minimos-secdb', namespace: 'apk/minimos/rolling' };
  return { source: 'wolfi-secdb', namespace: 'apk/wolfi/rolling' };
}

/** `CVE-2024-22195 GHSA-h5c8-rqwp-cp95` or `CVE-2017-2616 (+ regression fix)` → ids; comments dropped. */
function ids(entry: string): string[] {
  return entry
    .replace(/\(.*?\)/g, ' ')
    .replace(/\bCVE[ _](\d{4}-)/g, 'CVE-$1')
    .split(/\s+/)
    .filter((t) => /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][\w.-]*$/.test(t));
}

function packagesOf(doc: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(doc.packages))
    return doc.packages.map((p) => (isRecord(p) && isRecord(p.pkg) ? p.pkg : undefined)).filter(isRecord);
  return 'secfixes' in doc ? [doc] : [];
}

/**
 * Alpine secdb (`v3.x/main.yaml` or `.json`, as served by secdb.alpinelinux.org), the per-package split of
 * vuln-list, and the Wolfi/Chainguard/MinimOS secdb. Keyed by origin package; a secfixes key of "0" means
 * never affected in that branch.
 */
export const alpineSecdb = {
  name: 'alpine-secdb',
  description: 'Alpine, Wolfi, Chainguard and MinimOS secdb (YAML or JSON; whole branch or one package)',
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    if (!isRecord(d)) return false;
    if ('packages' in d) return 'apkurl' in d || 'reponame' in d || 'distroversion' in d;
    return typeof d.name === 'string' && isRecord(d.secfixes);
  },
  import(input: FeedInput, sink: FeedSink): void {
    const doc = input.doc as Record<string, unknown>;
    const distro = distroOf(doc);
    const records = new Map<string, AdvisoryRecord>();
    for (const pkg of packagesOf(doc)) {
      const checked = SecdbPackage.safeParse(pkg);
      if (!checked.success) {
        sink.drop(`secdb package: ${issue(checked.error)}`);
        continue;
      }
      const name = str(pkg.name)!;
      if (!isRecord(pkg.secfixes)) continue; // a package with no fixes
      for (const [version, list] of Object.entries(pkg.secfixes)) {
        for (const entry of strings(list)) {
          const [id, ...aliases] = ids(entry);
          if (!id) {
            sink.drop(`${name} ${version}: no vulnerability id in "${entry}"`);
            continue;
          }
          let record = records.get(id);
          if (!record) {
            record = {
              source: distro.source,
              format: 'alpine-secdb',
              id,
              aliases: [],
              title: null,
              severity: [],
              references: [],
              published: null,
              modified: null,
              withdrawn: null,
              affected: [],
            };
            records.set(id, record);
          }
          record.aliases = uniq([...record.aliases, ...aliases]);
          const never = /^0+$/.test(version);
          const row = {
            namespace: distro.namespace,
            package: name,
            state: never ? ('not_affected' as const) : ('fixed' as const),
            reason: never ? 'never affected in this branch' : null,
            ranges: never
              ? []
              : [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed: version }] }],
            versions: [],
            fixedVersion: never ? null : version,
            severity: [],
          };
          const same = record.affected.findIndex((a) => a.package === name);
          if (same < 0) record.affected.push(row);
          else if (!never) record.affected[same] = row;
        }
      }
    }
    for (const r of records.values()) sink.add(r);
  },
} satisfies Feed;
