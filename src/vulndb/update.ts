import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { request } from 'undici';
import { z } from 'zod';
import { ExternalServiceError, errorMessage, redactUrl, UserInputError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { sniffFeed } from './feeds/index.js';
import { type ImportSummary, importFiles } from './importer.js';
import { LIMITS, readSource } from './reader.js';
import { updateLinkedPages } from './update-pages.js';

/** A configured feed: a URL serving one file in a format the importer sniffs. */
export interface FeedSource {
  url: string;
  /** File name to keep the download under (its extension tells JSON/YAML apart; zip, gzip and bzip2 by content). */
  file?: string;
  /** The feed is an RSS index: the advisory pages its items link to (same origin) are fetched and imported too. */
  followLinks?: boolean;
}

/** The public feeds `db update` reads when nothing else is configured. Tests configure 127.0.0.1 instead. */
export const DEFAULT_FEEDS: readonly FeedSource[] = [
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip' },
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip' },
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip' },
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip' },
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip' },
  { url: 'https://security-tracker.debian.org/tracker/data/json', file: 'debian-tracker.json' },
  {
    url: 'https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DSA/list',
    file: 'DSA-list',
  },
  {
    url: 'https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/DLA/list',
    file: 'DLA-list',
  },
  { url: 'https://secdb.alpinelinux.org/v3.20/main.json', file: 'alpine-v3.20-main.json' },
  { url: 'https://secdb.alpinelinux.org/v3.20/community.json', file: 'alpine-v3.20-community.json' },
  { url: 'https://packages.wolfi.dev/os/security.json', file: 'wolfi-security.json' },
  // SUSE's OVAL per product line (gzipped), one vulnerability definition per CVE
  {
    url: 'https://ftp.suse.com/pub/projects/security/oval/suse.linux.enterprise.server.15.xml.gz',
    file: 'suse.linux.enterprise.server.15.xml.gz',
  },
  {
    url: 'https://ftp.suse.com/pub/projects/security/oval/opensuse.leap.15.6.xml.gz',
    file: 'opensuse.leap.15.6.xml.gz',
  },
  {
    url: 'https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/cbl-mariner-2.0-oval.xml',
    file: 'cbl-mariner-2.0-oval.xml',
  },
  {
    url: 'https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/azurelinux-3.0-oval.xml',
    file: 'azurelinux-3.0-oval.xml',
  },
  // Oracle's ELSA OVAL, every Oracle Linux release in one file, published bzip2-compressed only
  {
    url: 'https://linux.oracle.com/security/oval/com.oracle.elsa-all.xml.bz2',
    file: 'com.oracle.elsa-all.xml.bz2',
  },
  // Amazon's ALAS feeds name each advisory; its packages are on the advisory's page
  { url: 'https://alas.aws.amazon.com/AL2/alas.rss', file: 'alas-al2.rss', followLinks: true },
  { url: 'https://alas.aws.amazon.com/AL2023/alas.rss', file: 'alas-al2023.rss', followLinks: true },
  // Photon's CVE lists: the release is in the file name
  ...['3.0', '4.0', '5.0'].map((release) => ({
    url: `https://packages.vmware.com/photon/photon_cve_metadata/cve_data_photon${release}.json`,
    file: `cve_data_photon${release}.json`,
  })),
  // Ubuntu's OSV records (UBUNTU-CVE and USN, base releases and Ubuntu Pro), as osv.dev exports them
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip', file: 'osv-ubuntu-all.zip' },
  // Red Hat's errata as OSV (RHSA per RHEL stream); the per-CVE Security Data API documents
  // (access.redhat.com/hydra/rest/securitydata/cve/<CVE>.json) can be listed in feeds.json one by one
  { url: 'https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip', file: 'osv-redhat-all.zip' },
  {
    url: 'https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip',
    file: 'osv-almalinux-all.zip',
  },
  {
    url: 'https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip',
    file: 'osv-rocky-all.zip',
  },
  // Fedora and EPEL: Bodhi's newest stable security updates
  {
    url: 'https://bodhi.fedoraproject.org/updates/?type=security&status=stable&rows_per_page=100',
    file: 'fedora-bodhi-security.json',
  },
  {
    url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
    file: 'cisa-kev.json',
  },
  // FIRST's daily scores (gzipped CSV; the address redirects to the dated file)
  {
    url: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
    file: 'epss_scores-current.csv.gz',
  },
];

const FeedConfig = z.object({
  feeds: z.array(
    z.object({
      url: z.string().url(),
      file: z
        .string()
        .regex(/^[\w.-]+$/)
        .optional(),
      followLinks: z.boolean().optional(),
    }),
  ),
});

/** Feeds from `<home>/feeds.json` (`{"feeds":[{"url":…}]}`), else the defaults. */
export function configuredFeeds(home: string): FeedSource[] {
  const path = join(home, 'feeds.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [...DEFAULT_FEEDS];
  }
  try {
    return FeedConfig.parse(JSON.parse(text)).feeds;
  } catch (error) {
    throw new UserInputError(path, `bad feed configuration: ${errorMessage(error).split('\n')[0]}`);
  }
}

/** The local file name a feed is kept under: its configured name or a safe rendering of its URL. */
export function feedFileName(feed: FeedSource): string {
  if (feed.file) return feed.file;
  const u = new URL(feed.url);
  return `${u.host}${u.pathname}`.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '');
}

export interface FeedUpdate {
  url: string;
  status: 'updated' | 'not-modified' | 'unchanged';
  bytes: number;
  imported?: ImportSummary;
  /** An RSS index's linked pages fetched this time, and the records they added. */
  pages?: { fetched: number; added: number };
}

/**
 * Update one feed (see `updateFeedFile`); for an RSS index (`followLinks`) then fetch and import the pages it
 * links to that are not kept yet, whether or not the index itself changed.
 */
export async function updateFeed(
  db: Kysely<Database>,
  home: string,
  feed: FeedSource,
  options: { now?: Date; timeoutMs?: number } = {},
): Promise<FeedUpdate> {
  const result = await updateFeedFile(db, home, feed, options);
  const path = join(home, 'feeds', feedFileName(feed));
  if (!feed.followLinks || !existsSync(path)) return result;
  const pages = await updateLinkedPages(db, path, feed.url, options);
  return { ...result, pages: { fetched: pages.fetched, added: pages.imported?.added ?? 0 } };
}

/**
 * Download one feed with a conditional request into a temp file, verify that every input in it parses and is
 * a known format, swap it into `<home>/feeds/` atomically, then import it (origin: its URL).
 */
async function updateFeedFile(
  db: Kysely<Database>,
  home: string,
  feed: FeedSource,
  options: { now?: Date; timeoutMs?: number } = {},
): Promise<FeedUpdate> {
  const shown = redactUrl(feed.url);
  const state = await db
    .selectFrom('advisory_feed_state')
    .selectAll()
    .where('url', '=', feed.url)
    .executeTakeFirst();
  const headers: Record<string, string> = { 'user-agent': 'bulkhead' };
  if (state?.etag) headers['if-none-match'] = state.etag;
  if (state?.last_modified) headers['if-modified-since'] = state.last_modified;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(feed.url, {
      headers,
      headersTimeout: options.timeoutMs ?? 30_000,
      bodyTimeout: options.timeoutMs ?? 300_000,
    });
  } catch (error) {
    throw new ExternalServiceError(shown, `request failed: ${errorMessage(error)}`);
  }
  const checkedAt = (options.now ?? new Date()).toISOString();
  if (res.statusCode === 304) {
    await res.body.dump();
    await db
      .updateTable('advisory_feed_state')
      .set({ checked_at: checkedAt })
      .where('url', '=', feed.url)
      .execute();
    return { url: shown, status: 'not-modified', bytes: 0 };
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new ExternalServiceError(shown, `HTTP ${res.statusCode}`, { status: res.statusCode });
  }
  const dir = join(home, 'feeds');
  mkdirSync(dir, { recursive: true, mode: 0o700 }); // home and its parts: the owner's alone (docs/security.md)
  const finalPath = join(dir, feedFileName(feed));
  const tmp = join(dir, `.${feedFileName(feed)}.${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      bytes += b.length;
      if (bytes > LIMITS.fileBytes)
        throw new UserInputError(shown, `feed larger than ${LIMITS.fileBytes} bytes`);
      hash.update(b);
      parts.push(b);
    }
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new ExternalServiceError(shown, `download failed: ${errorMessage(error)}`);
  }
  const sha256 = hash.digest('hex');
  const etag = res.headers.etag;
  const lastModified = res.headers['last-modified'];
  const saveState = async () => {
    const values = {
      etag: typeof etag === 'string' ? etag : null,
      last_modified: typeof lastModified === 'string' ? lastModified : null,
      sha256,
      checked_at: checkedAt,
    };
    await db
      .insertInto('advisory_feed_state')
      .values({ url: feed.url, ...values })
      .onConflict((oc) => oc.column('url').doUpdateSet(values))
      .execute();
  };
  if (state?.sha256 === sha256) {
    await saveState();
    return { url: shown, status: 'unchanged', bytes };
  }
  try {
    writeFileSync(tmp, Buffer.concat(parts));
    // verify before the swap: every input parses and is a known feed format
    const items = readSource({ path: tmp, explicit: true, name: shown, origin: feed.url });
    for (const item of items) {
      if ('skipped' in item) continue;
      if (!sniffFeed(item.input))
        throw new UserInputError(item.input.name, 'not a known advisory feed format');
    }
    renameSync(tmp, finalPath);
  } finally {
    rmSync(tmp, { force: true });
  }
  const imported = await importFiles(
    db,
    [{ path: finalPath, explicit: true, name: shown, origin: feed.url }],
    {
      ...(options.now ? { now: options.now } : {}),
    },
  );
  await saveState();
  return { url: shown, status: 'updated', bytes, imported };
}
