import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Kysely } from 'kysely';
import { request } from 'undici';
import { ExternalServiceError, errorMessage, redactUrl, UserInputError } from '../core/errors.js';
import type { Database } from '../store/schema.js';
import { sniffFeed } from './feeds/index.js';
import { type ImportSummary, importFiles } from './importer.js';
import { LIMITS, readSource } from './reader.js';

const rss = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'item' });

/** The item links of an RSS document that lie under the feed's own origin (others are not followed). */
export function linkedPages(feedUrl: string, xml: string): string[] {
  const origin = new URL(feedUrl).origin;
  const doc = rss.parse(xml) as { rss?: { channel?: { item?: { link?: unknown }[] } } };
  const out: string[] = [];
  for (const item of doc.rss?.channel?.item ?? []) {
    if (typeof item.link !== 'string') continue;
    try {
      const url = new URL(item.link.trim(), feedUrl);
      if (url.origin === origin && !out.includes(url.href)) out.push(url.href);
    } catch {
      // not a URL: nothing to follow
    }
  }
  return out;
}

/** A page's local file name: the last path segment, made safe. */
const pageFile = (url: string) =>
  (new URL(url).pathname.split('/').pop() ?? 'page').replace(/[^\w.-]+/g, '_') || 'page';

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      headers: { 'user-agent': 'bulkhead' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    throw new ExternalServiceError(redactUrl(url), `request failed: ${errorMessage(error)}`);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new ExternalServiceError(redactUrl(url), `HTTP ${res.statusCode}`, { status: res.statusCode });
  }
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res.body) {
    bytes += (chunk as Buffer).length;
    if (bytes > LIMITS.fileBytes)
      throw new UserInputError(redactUrl(url), `page larger than ${LIMITS.fileBytes} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Fetch the pages an RSS feed links to that are not kept yet (`<feeds>/<feed file>.pages/`), check each is a
 * known feed format, and import the new ones. Pages once fetched are not asked again: an advisory page names its
 * fixes when it is published.
 */
export async function updateLinkedPages(
  db: Kysely<Database>,
  feedPath: string,
  feedUrl: string,
  options: { now?: Date; timeoutMs?: number; concurrency?: number } = {},
): Promise<{ fetched: number; imported?: ImportSummary }> {
  const dir = `${feedPath}.pages`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const missing = linkedPages(feedUrl, readFileSync(feedPath, 'utf8')).filter(
    (url) => !existsSync(join(dir, pageFile(url))),
  );
  const saved: { path: string; url: string }[] = [];
  const queue = [...missing];
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const body = await download(url, options.timeoutMs ?? 30_000);
      const path = join(dir, pageFile(url));
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, body);
      for (const item of readSource({ path: tmp, explicit: true, name: redactUrl(url), origin: url })) {
        if ('input' in item && !sniffFeed(item.input))
          throw new UserInputError(redactUrl(url), 'linked page is not a known advisory feed format');
      }
      renameSync(tmp, path);
      saved.push({ path, url });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  if (saved.length === 0) return { fetched: 0 };
  const imported = await importFiles(
    db,
    saved.map((s) => ({ path: s.path, explicit: true, name: redactUrl(s.url), origin: s.url })),
    options.now ? { now: options.now } : {},
  );
  return { fetched: saved.length, imported };
}
