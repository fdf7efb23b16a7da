import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseHtml } from 'node-html-parser';
import { recordsFromFiles } from '../feed-files.js';
import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/** The release an ALAS page or feed is for: `Amazon Linux 2`, `2022`, `2023`; the original AMI is release 1. */
function releaseOf(text: string): string | undefined {
  const m = /Amazon Linux (AMI|\d+)\b/.exec(text);
  return m ? (m[1] === 'AMI' ? '1' : m[1]) : undefined;
}

const ARCHES = /^(noarch|src|x86_64|aarch64|i686|i386|arm64)$/;

/** `[epoch:]name-version-release.arch` → name and `[epoch:]version-release`. */
export function splitNevra(nevra: string): { name: string; version: string } | undefined {
  const m = /^(?:(\d+):)?(.+)-([^-]+)-([^-]+?)(?:\.([^.]+))?$/.exec(nevra.trim());
  if (!m) return undefined;
  const [, epoch, name, version, release, arch] = m;
  const rel = arch && !ARCHES.test(arch) ? `${release}.${arch}` : release;
  return { name: name!, version: `${epoch ? `${epoch}:` : ''}${version}-${rel}` };
}

/** An ALAS advisory page: id, release, severity, CVEs, date and the new packages as fixes. */
function pageRecord(html: string): AdvisoryRecord | string {
  const root = parseHtml(html);
  const info = root.querySelectorAll('.alas-info').map((n) => n.text.replace(/\s+/g, ' ').trim());
  const heading = info.find((t) => /Security Advisory:/.test(t)) ?? '';
  // the heading names the advisory as the feed does (ALAS-2023-126); the page title may add the release
  const id = /\bALAS\w*-\d{4}-\d+\b/.exec(`${heading} ${root.querySelector('h1')?.text ?? ''}`)?.[0];
  if (!id) return 'no ALAS id on the page';
  const release = releaseOf(heading);
  if (!release) return `${id}: no Amazon Linux release named`;
  const severityWord = root
    .querySelector('#severity')
    ?.text.replace(/Severity:/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const date = /(\d{4}-\d{2}-\d{2})/.exec(info.find((t) => /Release Date:/.test(t)) ?? '')?.[1];
  const updated = /(\d{4}-\d{2}-\d{2})/.exec(info.find((t) => /Updated Date:/.test(t)) ?? '')?.[1];
  const cves = uniq(root.querySelectorAll('#references a').map((a) => /CVE-\d{4}-\d+/.exec(a.text)?.[0]));
  const pre = root.querySelector('#new_packages pre');
  const fixes = new Map<string, string>();
  for (const line of (pre?.innerHTML ?? '').split(/<br\s*\/?>/i)) {
    const entry = line.replace(/&nbsp;|<[^>]+>/g, ' ').trim();
    if (!entry || entry.endsWith(':')) continue; // an arch heading
    const nevra = splitNevra(entry);
    if (nevra && !fixes.has(nevra.name)) fixes.set(nevra.name, nevra.version);
  }
  const namespace = `rpm/amazon/${release}`;
  const affected: AffectedPackage[] = [...fixes].map(([name, fixed]) => ({
    namespace,
    package: name,
    state: 'fixed',
    reason: null,
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    versions: [],
    fixedVersion: fixed,
    severity: [],
  }));
  return {
    source: 'amazon-alas',
    format: 'amazon-alas',
    id,
    aliases: cves,
    title: root.querySelector('#issue_overview p')?.text.trim() || null,
    severity: severityWord ? [vendorEntry('amazon', severityWord)] : [],
    references: [`https://alas.aws.amazon.com/${release === '1' ? '' : `AL${release}/`}${id}.html`],
    published: isoOrNull(date),
    modified: isoOrNull(updated),
    withdrawn: null,
    affected,
  };
}

const rss = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'item' });

/** The ALAS RSS feed: per advisory its id, severity, CVEs and date; the packages are on the advisory's page. */
function feedRecords(xml: string): AdvisoryRecord[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const doc = rss.parse(xml) as { rss?: { channel?: { item?: Record<string, unknown>[] } } };
  const out: AdvisoryRecord[] = [];
  for (const item of doc.rss?.channel?.item ?? []) {
    const title = String(item.title ?? '');
    const m = /^(ALAS\w*-\d{4}-\d+)\s*\((\w+)\)/.exec(title);
    if (!m) continue;
    out.push({
      source: 'amazon-alas',
      format: 'amazon-alas',
      id: m[1]!,
      aliases: uniq(String(item.description ?? '').match(/CVE-\d{4}-\d+/g) ?? []),
      title,
      severity: [vendorEntry('amazon', m[2]!)],
      references: typeof item.link === 'string' ? [item.link] : [],
      published: isoOrNull(item.pubDate),
      modified: isoOrNull(item.lastBuildDate),
      withdrawn: null,
      affected: [],
    });
  }
  return out;
}

const isFeed = (text: string) =>
  /<rss[\s>]/.test(text.slice(0, 2048)) && /Amazon Linux .*Security Bulletins/.test(text.slice(0, 4096));
const isPage = (text: string) =>
  /<title>\s*ALAS\w*-\d{4}-\d+\s*<\/title>/.test(text.slice(0, 4096)) && /id=['"]new_packages['"]/.test(text);

/**
 * Amazon Linux Security Center (ALAS): the RSS feed of a release (`alas2.rss`, `alas2023.rss`: advisory id,
 * severity, CVEs, date) and each advisory's HTML page, whose "New Packages" NEVRAs are the fixes
 * (`version-release`, epoch kept when the page shows one) in `rpm/amazon/<release>`.
 */
export const amazonAlas = {
  name: 'amazon-alas',
  description: 'Amazon Linux ALAS RSS feed and advisory pages (per advisory, fixed NEVRAs)',
  sniff(input: FeedInput): boolean {
    return input.kind === 'text' && (isFeed(input.text) || isPage(input.text));
  },
  import(input: FeedInput, sink: FeedSink): void {
    if (isFeed(input.text)) {
      for (const r of feedRecords(input.text)) sink.add(r);
      return;
    }
    const record = pageRecord(input.text);
    if (typeof record === 'string') sink.drop(record);
    else sink.add(record);
  },
} satisfies Feed;

/**
 * The ALAS records in these files or folders: each advisory page's record, with the feed's severity and date
 * where the page gives none; feed items without a page stay records without packages.
 */
export function readAmazonAlas(paths: readonly string[]): AdvisoryRecord[] {
  const byId = new Map<string, AdvisoryRecord>();
  for (const r of recordsFromFiles(amazonAlas, paths)) {
    const had = byId.get(r.id);
    if (!had) byId.set(r.id, r);
    else {
      const [page, item] = r.affected.length > 0 || had.affected.length === 0 ? [r, had] : [had, r];
      byId.set(r.id, {
        ...page,
        severity: page.severity.length > 0 ? page.severity : item.severity,
        published: page.published ?? item.published,
        aliases: uniq([...page.aliases, ...item.aliases]),
      });
    }
  }
  return [...byId.values()];
}
