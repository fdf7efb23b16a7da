import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, epssSamplePath, kevCatalogPath } from '../../test/corpus.js';
import { ExternalServiceError, UserInputError } from '../core/errors.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { advisoryStatus } from './store.js';
import { bzip2 } from './test-support/bzip2.js';
import { configuredFeeds, DEFAULT_FEEDS, feedFileName, updateFeed } from './update.js';
import { linkedPages } from './update-pages.js';

const goDir = corpusPath('vulndb', 'osv', 'go', 'golang-vulndb', 'data', 'osv');
const go = (id: string) => readFileSync(join(goDir, `${id}.json`));

/** What the server serves: path → body; ETag is the body's hash, Last-Modified fixed. */
const served = new Map<string, Buffer | Uint8Array>();
const requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[] = [];
let server: Server;
let base = '';
const etagOf = (b: Uint8Array) => `"${createHash('sha256').update(b).digest('hex').slice(0, 16)}"`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({
      path,
      ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
      ...(req.headers['if-modified-since']
        ? { ifModifiedSince: String(req.headers['if-modified-since']) }
        : {}),
    });
    if (path === '/error') {
      res.writeHead(503).end('down');
      return;
    }
    const body = served.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const etag = etagOf(body);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { etag, 'last-modified': 'Wed, 21 Oct 2026 07:28:00 GMT' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let database: TestDatabase;
afterEach(async () => {
  await database?.dispose();
  served.clear();
  requests.length = 0;
});

describe('db update against a local feed server', () => {
  it('downloads, swaps into <home>/feeds and imports; then asks conditionally and gets 304', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    served.set(
      '/osv/all.zip',
      zipSync({ 'GO-2020-0001.json': go('GO-2020-0001'), 'GO-2020-0003.json': go('GO-2020-0003') }),
    );
    served.set(
      '/DSA/list',
      readFileSync(
        corpusPath(
          'vulndb',
          'debian',
          'vunnel',
          'tests',
          'unit',
          'providers',
          'debian',
          'test-fixtures',
          'input',
          'DSA',
        ),
      ),
    );
    const feeds = [{ url: `${base}/osv/all.zip` }, { url: `${base}/DSA/list`, file: 'DSA-list' }];
    const first = [];
    for (const f of feeds) first.push(await updateFeed(store.db, database.home, f));
    expect(first.map((u) => [u.status, u.imported?.added])).toEqual([
      ['updated', 2],
      ['updated', 10],
    ]);
    expect(readdirSync(join(database.home, 'feeds')).sort()).toEqual(
      ['127.0.0.1_' + base.split(':')[2] + '_osv_all.zip', 'DSA-list'].sort(),
    );
    expect(requests.every((r) => r.ifNoneMatch === undefined)).toBe(true);

    requests.length = 0;
    const second = [];
    for (const f of feeds) second.push(await updateFeed(store.db, database.home, f));
    expect(second.map((u) => u.status)).toEqual(['not-modified', 'not-modified']);
    expect(requests.map((r) => [r.ifNoneMatch !== undefined, r.ifModifiedSince])).toEqual([
      [true, 'Wed, 21 Oct 2026 07:28:00 GMT'],
      [true, 'Wed, 21 Oct 2026 07:28:00 GMT'],
    ]);

    served.set(
      '/osv/all.zip',
      zipSync({ 'GO-2020-0001.json': go('GO-2020-0001'), 'GO-2020-0004.json': go('GO-2020-0004') }),
    );
    const third = await updateFeed(store.db, database.home, feeds[0]!);
    expect([third.status, third.imported?.added]).toEqual(['updated', 1]);
    const status = await advisoryStatus(store.db);
    expect(Object.fromEntries(status.sources.map((s) => [s.name, s.records]))).toEqual({
      go: 3,
      'debian-dsa': 10,
    });
    await store.close();
  });

  it('a new ETag on identical bytes is "unchanged": nothing is imported again', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    served.set('/one.json', go('GO-2020-0001'));
    await updateFeed(store.db, database.home, { url: `${base}/one.json` });
    await store.db.updateTable('advisory_feed_state').set({ etag: '"stale"' }).execute();
    const again = await updateFeed(store.db, database.home, { url: `${base}/one.json` });
    expect(again.status).toBe('unchanged');
    await store.close();
  });

  it('a truncated download is refused before the swap: the kept file and the database stay as they were', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    const good = go('GO-2020-0001');
    served.set('/flip.json', good);
    await updateFeed(store.db, database.home, { url: `${base}/flip.json` });
    const before = await advisoryStatus(store.db);
    served.set('/flip.json', good.subarray(0, 200));
    await expect(updateFeed(store.db, database.home, { url: `${base}/flip.json` })).rejects.toThrow(
      UserInputError,
    );
    await expect(updateFeed(store.db, database.home, { url: `${base}/flip.json` })).rejects.toThrow(
      /flip.json: truncated JSON/,
    );
    const kept = join(database.home, 'feeds', feedFileName({ url: `${base}/flip.json` }));
    expect(readFileSync(kept)).toEqual(good);
    expect(readdirSync(join(database.home, 'feeds')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await advisoryStatus(store.db)).sources.map((s) => s.records)).toEqual(
      before.sources.map((s) => s.records),
    );
    await store.close();
  });

  it('a server error is an external-service error, not bad input', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    await expect(updateFeed(store.db, database.home, { url: `${base}/error` })).rejects.toThrow(
      ExternalServiceError,
    );
    await store.close();
  });
});

describe('db update of exploitation feeds', () => {
  it('downloads the KEV catalog and a gzipped EPSS file and stores them', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    const kev = kevCatalogPath();
    const epss = epssSamplePath();
    served.set('/kev.json', readFileSync(kev));
    served.set('/epss.csv.gz', gzipSync(readFileSync(epss)));
    const kevUpdate = await updateFeed(store.db, database.home, {
      url: `${base}/kev.json`,
      file: 'cisa-kev.json',
    });
    const epssUpdate = await updateFeed(store.db, database.home, {
      url: `${base}/epss.csv.gz`,
      file: 'epss_scores-current.csv.gz',
    });
    const count = (JSON.parse(readFileSync(kev, 'utf8')) as { count: number }).count;
    expect(kevUpdate).toMatchObject({ status: 'updated', imported: { kev: count } });
    expect(epssUpdate).toMatchObject({ status: 'updated', imported: { epss: 5 } });
    await store.close();
  });
});

/** The files of a vunnel provider's fixtures folder (`…/test-fixtures/<sub>`) whose names pass `want`. */
function fixtureFiles(
  provider: string,
  sub: string,
  want: (name: string) => boolean,
): Record<string, Uint8Array> {
  const dir = corpusPath(
    'vulndb',
    provider,
    'vunnel',
    'tests',
    'unit',
    'providers',
    provider,
    'test-fixtures',
    sub,
  );
  const out: Record<string, Uint8Array> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && want(entry.name))
      out[entry.name] = readFileSync(join(entry.parentPath, entry.name));
  return out;
}

describe("the distributions' default feeds", () => {
  const defaultFor = (file: string) => {
    const feed = DEFAULT_FEEDS.find((f) => f.file === file);
    if (!feed) throw new Error(`no default feed kept as ${file}`);
    return feed;
  };

  it('import what their URLs serve, in the shape they serve it (served here from the corpus)', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    const bodhi = Object.values(fixtureFiles('fedora', 'merge-input', (n) => n.endsWith('.json'))).map((b) =>
      JSON.parse(Buffer.from(b).toString('utf8')),
    );
    const cases: [string, Uint8Array, string][] = [
      [
        'osv-ubuntu-all.zip',
        zipSync(fixtureFiles('ubuntu', 'osv', (n) => n.endsWith('.json'))),
        'ubuntu-osv',
      ],
      [
        'osv-almalinux-all.zip',
        zipSync(fixtureFiles('alma', 'osv-database', (n) => n.endsWith('.json'))),
        'alma-osv',
      ],
      ['osv-rocky-all.zip', zipSync(fixtureFiles('rocky', 'osv', (n) => n.endsWith('.json'))), 'rocky-osv'],
      [
        'fedora-bodhi-security.json',
        Buffer.from(JSON.stringify({ updates: bodhi, page: 1, pages: 1 })),
        'fedora-bodhi',
      ],
    ];
    for (const [file, body, format] of cases) {
      const upstream = new URL(defaultFor(file).url);
      served.set(`${upstream.pathname}${upstream.search}`, body);
      const update = await updateFeed(store.db, database.home, {
        url: `${base}${upstream.pathname}${upstream.search}`,
        file,
      });
      expect(update.status, file).toBe('updated');
      expect(Object.keys(update.imported!.formats), file).toEqual([format]);
      expect(update.imported!.rows, file).toBeGreaterThan(0);
    }
    expect(requests.every((r) => !/^https?:/.test(r.path))).toBe(true);
    await store.close();
  });
});

describe('feed configuration', () => {
  it('defaults to the public OSV, Debian and Alpine feeds, and reads <home>/feeds.json', async () => {
    database = await freshDatabase('sqlite');
    expect(configuredFeeds(database.home)).toEqual(DEFAULT_FEEDS);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(database.home, 'feeds.json'), JSON.stringify({ feeds: [{ url: `${base}/x.json` }] }));
    expect(configuredFeeds(database.home)).toEqual([{ url: `${base}/x.json` }]);
    writeFileSync(join(database.home, 'feeds.json'), '{"feeds": [{"url": "not a url"}]}');
    expect(() => configuredFeeds(database.home)).toThrow(/feeds.json: bad feed configuration/);
  });
});

describe('distribution feeds by default', () => {
  const fixture = (distro: string, ...p: string[]) =>
    readFileSync(
      corpusPath('vulndb', distro, 'vunnel', 'tests', 'unit', 'providers', distro, 'test-fixtures', ...p),
    );
  /** What a default download is served here, by the feed that reads it: a real file of that feed's format. */
  const SAMPLES: Record<string, () => Uint8Array> = {
    'suse-oval': () => gzipSync(fixture('sles', 'suse_truncated.xml')),
    'mariner-oval': () => fixture('mariner', 'mariner-truncated-2.0-oval.xml'),
    'amazon-alas': () => fixture('amazon', 'input', '2023_rss.xml'),
    'photon-cve': () => fixture('photon', 'input', 'cve_data_photon4.0.json'),
    'oracle-oval': () => bzip2(fixture('oracle', 'mock_data')),
  };
  const FEED_OF_HOST: Record<string, string> = {
    'ftp.suse.com': 'suse-oval',
    'raw.githubusercontent.com': 'mariner-oval',
    'alas.aws.amazon.com': 'amazon-alas',
    'packages.vmware.com': 'photon-cve',
    'linux.oracle.com': 'oracle-oval',
  };
  const distroDefaults = DEFAULT_FEEDS.filter((f) => FEED_OF_HOST[new URL(f.url).host]);

  it('lists SUSE, openSUSE Leap, Mariner, Azure Linux, Amazon Linux, Photon and Oracle feeds, each read by its feed', async () => {
    expect(distroDefaults.length).toBeGreaterThanOrEqual(10);
    expect(distroDefaults.map((f) => FEED_OF_HOST[new URL(f.url).host])).toContain('oracle-oval');
    database = await freshDatabase('sqlite');
    const store = await database.open();
    for (const feed of distroDefaults) {
      const expected = FEED_OF_HOST[new URL(feed.url).host]!;
      const path = new URL(feed.url).pathname;
      served.set(path, SAMPLES[expected]!());
      // the same path and file name on the local server: nothing leaves the machine
      const update = await updateFeed(store.db, database.home, { ...feed, url: `${base}${path}` });
      expect(update.status, feed.url).toBe('updated');
      expect(update.imported?.formats, feed.url).toEqual({ [expected]: 1 });
    }
    await store.close();
  });

  it('follows an ALAS feed to the advisory pages it links, once each, never to another host', async () => {
    database = await freshDatabase('sqlite');
    const store = await database.open();
    const rss = fixture('amazon', 'input', '2_rss.xml')
      .toString('utf8')
      .replaceAll('https://alas.aws.amazon.com', base);
    served.set('/AL2/alas.rss', Buffer.from(rss));
    served.set('/AL2/ALAS-2018-939.html', fixture('amazon', 'input', '2_html', 'ALAS-2018-939'));
    const feed = { url: `${base}/AL2/alas.rss`, file: 'alas-al2.rss', followLinks: true };
    const first = await updateFeed(store.db, database.home, feed);
    expect(first.pages).toEqual({ fetched: 1, added: 0 });
    const status = await advisoryStatus(store.db);
    expect(Object.fromEntries(status.sources.map((s) => [s.name, s.records]))).toEqual({ 'amazon-alas': 1 });
    requests.length = 0;
    const second = await updateFeed(store.db, database.home, feed);
    expect(second).toMatchObject({ status: 'not-modified', pages: { fetched: 0, added: 0 } });
    expect(requests.map((r) => r.path)).toEqual(['/AL2/alas.rss']);
    expect(linkedPages(base, rss.replaceAll(base, 'https://elsewhere.example'))).toEqual([]);
    await store.close();
  });
});
