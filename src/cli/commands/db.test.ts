import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { runBuiltCli } from '../../../test/e2e/cli-support.js';

const home = mkdtempSync(join(tmpdir(), 'bulkhead-db-e2e-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const V = (...p: string[]) => corpusPath('vulndb', ...p);

const walk = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));

/** Record counts of the corpus, counted here from the files themselves (not through the importer). */
function corpusCounts() {
  const go = readdirSync(V('osv/go/golang-vulndb/data/osv')).filter((f) => /^GO-.*\.json$/.test(f)).length;
  const rustsec = walk(V('osv/crates/rustsec-advisory-db/crates')).filter((f) =>
    /RUSTSEC-.*\.md$/.test(f),
  ).length;
  const pysec = new Set(
    walk(V('osv/pypi/pypa-advisory-database/vulns'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/^.*\/(PYSEC-[\d-]+)\.yaml$/, '$1')),
  );
  for (const f of walk(V('osv/pypi/trivy-db')).filter((x) => x.endsWith('.json')))
    pysec.add(JSON.parse(readFileSync(f, 'utf8')).id);
  const listIds = (prefix: string) => {
    const ids = new Set<string>();
    const texts = [
      readFileSync(V(`debian/security-tracker/data/${prefix}/list`), 'utf8'),
      readFileSync(V('debian/vunnel/tests/unit/providers/debian/test-fixtures/input/DSA'), 'utf8'),
    ];
    for (const t of texts)
      for (const m of t.matchAll(new RegExp(`^\\[[^\\]]+\\] (${prefix}-[\\w-]+)`, 'gm'))) ids.add(m[1]!);
    for (const f of walk(V('debian/trivy-db')).filter((x) => x.includes(`/${prefix}/`)))
      ids.add(JSON.parse(readFileSync(f, 'utf8')).Header.ID);
    return ids.size;
  };
  return { go, rustsec, pypi: pysec.size, 'debian-dsa': listIds('DSA'), 'debian-dla': listIds('DLA') };
}

/** KEV entries (CVE ids of every catalog with a `vulnerabilities` list) and EPSS rows of the corpus, from the files. */
function exploitationCounts() {
  const kev = new Set<string>();
  for (const f of walk(V('kev')).filter((x) => x.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(f, 'utf8'));
    if (Array.isArray(doc.vulnerabilities))
      for (const v of doc.vulnerabilities as { cveID: string }[]) kev.add(v.cveID);
  }
  const epss = new Set<string>();
  for (const f of walk(V('epss')).filter((x) => x.endsWith('.csv'))) {
    const lines = readFileSync(f, 'utf8').split('\n');
    // the published format only: the score_date header line, then the column names
    if (!/^#model_version:\S+,score_date:/.test(lines[0]!) || lines[1] !== 'cve,epss,percentile') continue;
    for (const l of lines.slice(2)) if (/^CVE-/.test(l)) epss.add(l.split(',')[0]!);
  }
  return { kev: kev.size, epss: epss.size };
}

async function status() {
  const run = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'status']);
  expect(run.code).toBe(0);
  const doc = JSON.parse(run.stdout);
  return {
    doc,
    counts: Object.fromEntries(
      doc.sources.map((s: { name: string; records: number }) => [s.name, s.records]),
    ),
    comparable: doc.sources.map(({ importedAt: _, ...s }: { importedAt: string }) => s),
  };
}

describe('bulkhead db (built CLI, whole corpus)', () => {
  let first: Awaited<ReturnType<typeof status>>;
  beforeAll(async () => {
    const run = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'import', V()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    first = await status();
  }, 240_000);

  it('imports every feed of the corpus, sniffed, with per-source counts equal to the corpus records', () => {
    const want = corpusCounts();
    expect(want.go).toBe(4291);
    expect(want.rustsec).toBe(1205);
    expect(want['debian-dla']).toBe(3534);
    for (const [name, n] of Object.entries(want)) expect(first.counts[name], name).toBe(n);
    expect(first.doc).toMatchObject({ kind: 'DatabaseStatus', schemaVersion: 1 });
    expect(first.doc.advisories).toBe(
      Object.values(first.counts).reduce((a, b) => (a as number) + (b as number), 0),
    );
    const exploitation = exploitationCounts();
    expect(exploitation.kev).toBeGreaterThan(1400);
    expect(first.doc.exploitation).toMatchObject({
      kev: { entries: exploitation.kev },
      epss: { scores: exploitation.epss },
    });
    for (const name of [
      'alpine-secdb',
      'wolfi-secdb',
      'chainguard-secdb',
      'minimos-secdb',
      'debian-tracker',
      'ghsa',
      'nodejs-security-wg',
    ])
      expect(first.counts[name], name).toBeGreaterThan(0);
  });

  it('a second import changes no count', async () => {
    const run = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'import', V()]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).added).toBe(0);
    expect((await status()).comparable).toEqual(first.comparable);
  }, 240_000);

  it.each([
    [
      'truncated.json',
      () => readFileSync(V('osv/go/golang-vulndb/data/osv/GO-2020-0001.json')).subarray(0, 400),
    ],
    [
      'bomb.yaml',
      () =>
        [
          'a: &a ["x","x","x","x","x","x","x","x","x"]',
          ...'bcdefghi'
            .split('')
            .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
        ].join('\n'),
    ],
    ['empty.json', () => ''],
    ['blob.bin', () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0xff])],
  ])('refuses %s: exit 2, one line naming the file, status unchanged', async (name, make) => {
    const file = join(home, name);
    writeFileSync(file, make());
    const run = await runBuiltCli(['--home', home, 'db', 'import', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect((await status()).comparable).toEqual(first.comparable);
  });

  it('answers queries and writes a verifiable bundle', async () => {
    const q = await runBuiltCli([
      '--home',
      home,
      '--format',
      'json',
      'db',
      'query',
      'deb/debian/11',
      'openssl',
      '1.1.1n-0+deb11u3',
    ]);
    expect(q.code).toBe(0);
    const matches = JSON.parse(q.stdout).matches;
    expect(matches.map((m: { vulnId: string }) => m.vulnId)).toContain('DSA-5343-1');
    const bundle = join(home, 'db.bundle');
    const create = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'bundle', 'create', bundle]);
    expect(create.code).toBe(0);
    const verify = await runBuiltCli(['--home', home, '--format', 'json', 'db', 'bundle', 'verify', bundle]);
    expect(verify.code).toBe(0);
    const doc = JSON.parse(verify.stdout);
    expect(doc).toMatchObject({ kind: 'BundleVerification', valid: true, signature: 'unsigned' });
    expect(
      Object.fromEntries(
        doc.manifest.sources.map((s: { name: string; records: number }) => [s.name, s.records]),
      ),
    ).toEqual(first.counts);
  }, 120_000);
});

describe('bulkhead db update (built CLI, local feed server)', () => {
  it('downloads a configured feed, imports it, and asks conditionally the second time', async () => {
    const { createServer } = await import('node:http');
    const body = readFileSync(V('alpine/claircore/alpine/testdata/fetch/v3.10/community.json'));
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['if-none-match'] as string | undefined);
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const updateHome = join(home, 'update-home');
    try {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(updateHome, { recursive: true, mode: 0o700 }); // a home as Bulkhead makes it: one open to others is tightened with a warning
      writeFileSync(
        join(updateHome, 'feeds.json'),
        JSON.stringify({ feeds: [{ url: `http://127.0.0.1:${port}/v3.10/community.json` }] }),
      );
      const first = await runBuiltCli(['--home', updateHome, '--quiet', '--format', 'json', 'db', 'update']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const doc = JSON.parse(first.stdout);
      expect(doc.feeds.map((f: { status: string }) => f.status)).toEqual(['updated']);
      expect(doc.status.sources.map((s: { name: string }) => s.name)).toEqual(['alpine-secdb']);
      const second = await runBuiltCli(['--home', updateHome, '--quiet', '--format', 'json', 'db', 'update']);
      expect(JSON.parse(second.stdout).feeds.map((f: { status: string }) => f.status)).toEqual([
        'not-modified',
      ]);
      expect(seen).toEqual([undefined, '"v1"']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});

describe('bulkhead db import of a large directory with a bad file (parsed in a worker)', () => {
  it('stops at the bad file with exit 2 naming it; files before it are stored, nothing after', async () => {
    const { cpSync, mkdirSync } = await import('node:fs');
    const dir = join(home, 'many');
    mkdirSync(dir, { recursive: true });
    const goDir = V('osv/go/golang-vulndb/data/osv');
    const names = readdirSync(goDir)
      .filter((f) => f.startsWith('GO-'))
      .sort()
      .slice(0, 300);
    for (const n of names) cpSync(join(goDir, n), join(dir, n));
    const bad = join(dir, names[250]!);
    writeFileSync(bad, readFileSync(join(goDir, names[250]!)).subarray(0, 120));
    const otherHome = join(home, 'many-home');
    const run = await runBuiltCli(['--home', otherHome, 'db', 'import', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${bad}: truncated JSON`)]);
    const s = await runBuiltCli(['--home', otherHome, '--format', 'json', 'db', 'status']);
    expect(JSON.parse(s.stdout).advisories).toBe(250);
  }, 60_000);
});
