import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { isRecord, str, vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const CVE_AT_START = /^\s*(CVE-\d{4}-\d+)\b/;

/** `F40` → `rpm/fedora/40`, `EPEL-7` → `rpm/epel/7` (EPEL builds install on RHEL and its rebuilds). */
function namespaceOf(release: Record<string, unknown>): string | undefined {
  const name = str(release.name) ?? '';
  const version = str(release.version) ?? /(\d+)/.exec(name)?.[1];
  if (!version) return undefined;
  if (/^EPEL/i.test(name)) return `rpm/epel/${version}`;
  if (/^F\d/i.test(name) || /^fedora/i.test(name)) return `rpm/fedora/${version}`;
  return undefined;
}

/** A build's `name-version-release` and epoch → the name and `epoch:version-release`. */
function buildOf(build: Record<string, unknown>): { name: string; evr: string } | undefined {
  const nvr = str(build.nvr);
  if (!nvr) return undefined;
  const parts = nvr.split('-');
  if (parts.length < 3) return undefined;
  const epoch = str(build.epoch) ?? '0';
  return { name: parts.slice(0, -2).join('-'), evr: `${epoch}:${parts.slice(-2).join('-')}` };
}

/** Bodhi's severity words; `unspecified` says nothing. */
function severityOf(word: string | undefined) {
  return word && word.toLowerCase() !== 'unspecified' ? [vendorEntry('fedora', word)] : [];
}

/**
 * One Fedora or EPEL update from Bodhi (`bodhi.fedoraproject.org/updates/<alias>`): a security update fixes
 * the CVEs its security bugs name (each bug title starts with the CVE) in the builds it pushed. An update
 * that names no CVE is a vulnerability of its own, under its alias.
 */
export const fedoraBodhi = {
  name: 'fedora-bodhi',
  description: 'Fedora and EPEL updates from Bodhi (security updates: builds fixed, CVEs from their bugs)',
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    const one = (u: unknown) =>
      isRecord(u) && typeof u.alias === 'string' && Array.isArray(u.builds) && isRecord(u.release);
    if (isRecord(d) && Array.isArray(d.updates)) return d.updates.length > 0 && d.updates.every(one);
    return one(d);
  },
  import(input: FeedInput, sink: FeedSink): void {
    const d = input.doc as Record<string, unknown>;
    const updates = Array.isArray(d.updates) ? d.updates : [d];
    for (const u of updates) {
      if (!isRecord(u)) continue;
      const id = str(u.alias)!;
      if (str(u.type) !== 'security') continue; // bug fix and enhancement updates name no vulnerability
      const namespace = isRecord(u.release) ? namespaceOf(u.release) : undefined;
      if (!namespace) {
        sink.drop(`${id}: unknown release ${JSON.stringify(isRecord(u.release) ? u.release.name : null)}`);
        continue;
      }
      const cves = uniq(
        (Array.isArray(u.bugs) ? u.bugs : []).map((b) =>
          isRecord(b) && b.security !== false ? CVE_AT_START.exec(str(b.title) ?? '')?.[1] : undefined,
        ),
      );
      const pushed = str(u.status) === 'stable' || str(u.date_stable) !== undefined;
      const affected: AffectedPackage[] = [];
      for (const b of Array.isArray(u.builds) ? u.builds : []) {
        const build = isRecord(b) ? buildOf(b) : undefined;
        if (!build) continue;
        affected.push({
          namespace,
          package: build.name,
          state: pushed ? 'fixed' : 'affected',
          reason: pushed ? null : `update ${str(u.status) ?? 'pending'}`,
          ranges: [
            { type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(pushed ? [{ fixed: build.evr }] : [])] },
          ],
          versions: [],
          fixedVersion: pushed ? build.evr : null,
          severity: [],
        });
      }
      const record: AdvisoryRecord = {
        source: 'fedora',
        format: 'fedora-bodhi',
        id,
        aliases: cves,
        title: str(u.title) ?? null,
        severity: severityOf(str(u.severity)),
        references: uniq([str(u.url), `https://bodhi.fedoraproject.org/updates/${id}`]),
        published: isoOrNull(str(u.date_submitted)?.replace(' ', 'T').concat('Z')),
        modified: isoOrNull(
          str(u.date_pushed ?? u.date_modified)
            ?.replace(' ', 'T')
            .concat('Z'),
        ),
        withdrawn: null,
        affected,
      };
      sink.add(record);
    }
  },
} satisfies Feed;
