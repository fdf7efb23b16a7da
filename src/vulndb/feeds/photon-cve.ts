import { basename } from 'node:path';
import { UserInputError } from '../../core/errors.js';
import { severityFromCvssScore } from '../../core/severity.js';
import { recordsFromFiles } from '../feed-files.js';
import type { AdvisoryRecord, AdvisoryState, AffectedPackage, SeverityEntry } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { isRecord, str, vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/** The Photon release a CVE file is for: its name (`cve_data_photon4.0.json`), else the `.phN` dist tags. */
function releaseOf(input: FeedInput, rows: Record<string, unknown>[]): string | undefined {
  const named = /cve_data_photon(\d+\.\d+)/.exec(basename(input.name))?.[1];
  if (named) return named;
  const tag = rows.map((r) => /\.ph(\d+)$/.exec(str(r.res_ver) ?? '')?.[1]).find((t) => t !== undefined);
  return tag ? `${tag}.0` : undefined;
}

/** Photon's `status` words: Fixed (with a version, else not yet), Not Affected, Won't Fix; anything else is open. */
function stateOf(status: string, fixed: string | undefined): { state: AdvisoryState; reason: string | null } {
  const s = status.toLowerCase();
  if (s.startsWith('not affected')) return { state: 'not_affected', reason: status };
  if (/won'?t fix/.test(s)) return { state: 'will_not_fix', reason: status };
  if (s === 'fixed' && fixed) return { state: 'fixed', reason: null };
  return { state: 'affected', reason: s === 'fixed' ? 'fixed without a published version' : status || null };
}

/** A CVSS base score as Photon gives it (no vector): the severity of its band. */
function scoreEntry(score: number): SeverityEntry {
  return {
    source: 'photon',
    type: 'CVSS_V3',
    value: String(score),
    score,
    severity: severityFromCvssScore(score),
  };
}

function cveRecords(input: FeedInput, sink: FeedSink): void {
  const rows = (input.doc as unknown[]).filter(isRecord);
  const release = releaseOf(input, rows);
  if (!release)
    throw new UserInputError(
      input.name,
      'no Photon release in the file name (cve_data_photon<release>.json)',
    );
  const namespace = `rpm/photon/${release}`;
  const records = new Map<string, AdvisoryRecord>();
  for (const row of rows) {
    const id = str(row.cve_id);
    const pkg = str(row.pkg);
    if (!id || !pkg) {
      sink.drop(`entry without cve_id or pkg: ${JSON.stringify(row).slice(0, 80)}`);
      continue;
    }
    const resolved = str(row.res_ver);
    const fixed = resolved && resolved !== 'NA' ? resolved : undefined;
    const { state, reason } = stateOf(str(row.status) ?? '', fixed);
    const score = typeof row.cve_score === 'number' ? row.cve_score : Number.NaN;
    const severity = Number.isFinite(score) ? [scoreEntry(score)] : [];
    const affected: AffectedPackage = {
      namespace,
      package: pkg,
      state,
      reason,
      ranges:
        state === 'not_affected'
          ? []
          : [
              {
                type: 'ECOSYSTEM',
                events: [{ introduced: '0' }, ...(state === 'fixed' ? [{ fixed: fixed! }] : [])],
              },
            ],
      versions: [],
      fixedVersion: state === 'fixed' ? fixed! : null,
      severity,
    };
    const record = records.get(id) ?? {
      source: 'photon',
      format: 'photon-cve',
      id,
      aliases: [],
      title: null,
      severity,
      references: [/^CVE-/.test(id) ? `https://nvd.nist.gov/vuln/detail/${id}` : undefined].filter(
        (u): u is string => !!u,
      ),
      published: null,
      modified: null,
      withdrawn: null,
      affected: [],
    };
    record.affected.push(affected);
    records.set(id, record);
  }
  for (const r of records.values()) sink.add(r);
}

/** A `Security-Update-<release>-<n>.md` wiki page as an advisory record: its CVEs, date and severities. */
function wikiRecord(input: FeedInput): AdvisoryRecord | string {
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(input.text)?.[1]?.trim();
  const id = field('Advisory Id');
  if (!id) return 'no Advisory Id';
  const page = /(Security-Update-[\d.]+-\d+)/.exec(basename(input.name))?.[1];
  const bySeverity: Record<string, string[]> = {};
  let heading = '';
  for (const line of input.text.split(/\r?\n/)) {
    const h = /^###\s+(.+)$/.exec(line);
    if (h) heading = h[1]!.trim();
    else if (heading) {
      const cves = line.match(/CVE-\d{4}-\d+/g);
      if (cves) bySeverity[heading] = uniq([...(bySeverity[heading] ?? []), ...cves]);
    }
  }
  return {
    source: 'photon',
    format: 'photon-cve',
    id,
    aliases: uniq(Object.values(bySeverity).flat()),
    title: /^#\s+(.+)$/m.exec(input.text)?.[1]?.trim() ?? null,
    severity: Object.keys(bySeverity).map((word) => vendorEntry('photon', word)),
    references: page ? [`https://github.com/vmware/photon/wiki/${page}`] : [],
    published: isoOrNull(field('Issue date')),
    modified: null,
    withdrawn: null,
    affected: [],
    extra: { release: field('Affected Release') ?? null, cvesBySeverity: bySeverity },
  };
}

const isCveList = (doc: unknown) =>
  Array.isArray(doc) && isRecord(doc[0]) && 'cve_id' in doc[0] && 'pkg' in doc[0] && 'res_ver' in doc[0];
const isWikiPage = (input: FeedInput) =>
  input.kind === 'text' &&
  /Photon OS Security Update/.test(input.text.slice(0, 512)) &&
  /^Advisory Id\s*:/m.test(input.text);

/**
 * Photon OS: the per-release CVE list (`cve_data_photon<release>.json`: one entry per CVE and source package,
 * the fixed version-release, the status and a CVSS score) and the wiki's advisory pages
 * (`Security-Update-<release>-<n>.md`: PHSA id, issue date, CVEs per severity heading) as advisory records.
 */
export const photonCve = {
  name: 'photon-cve',
  description: 'Photon OS CVE lists (per CVE and package, fixed version, status, CVSS) and wiki advisories',
  sniff(input: FeedInput): boolean {
    return (input.kind === 'json' && isCveList(input.doc)) || isWikiPage(input);
  },
  import(input: FeedInput, sink: FeedSink): void {
    if (input.kind === 'json') {
      cveRecords(input, sink);
      return;
    }
    const record = wikiRecord(input);
    if (typeof record === 'string') sink.drop(`${input.name}: ${record}`);
    else sink.add(record);
  },
} satisfies Feed;

/**
 * The Photon records in these files or folders: the CVE lists' records, each dated and linked by the wiki
 * advisory that names it in the same release (wiki records themselves are kept too).
 */
export function readPhoton(paths: readonly string[]): AdvisoryRecord[] {
  const records = recordsFromFiles(photonCve, paths);
  const advisories = records.filter((r) => r.affected.length === 0 && r.extra?.release);
  return records.map((r) => {
    if (r.affected.length === 0) return r;
    const release = r.affected[0]!.namespace.split('/').pop();
    const advisory = advisories.find((a) => a.extra?.release === release && a.aliases.includes(r.id));
    if (!advisory) return r;
    return {
      ...r,
      aliases: uniq([...r.aliases, advisory.id]),
      published: r.published ?? advisory.published,
      references: uniq([...r.references, ...advisory.references]),
    };
  });
}
