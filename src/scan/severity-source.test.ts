import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { UserInputError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { importSources } from '../vulndb/importer.js';
import { loadRecords } from '../vulndb/test-support/load.js';
import { scanPackages } from './scan.js';
import { parseSeveritySources, severitySourceNames } from './severity.js';

const OSV = (...p: string[]) => corpusPath('vulndb', 'osv', ...p);
const GO = (id: string) => OSV('go', 'golang-vulndb', 'data', 'osv', `${id}.json`);
const GHSA = (year: string, month: string, id: string) =>
  OSV(
    'ghsa',
    'trivy-db',
    'pkg',
    'vulnsrc',
    'ghsa',
    'testdata',
    'happy',
    'ghsa',
    'advisories',
    'github-reviewed',
    year,
    month,
    id,
    `${id}.json`,
  );
const SIZED_CHUNKS = OSV('crates', 'rustsec-advisory-db', 'crates', 'sized-chunks', 'RUSTSEC-2020-0041.md');

/** The GHSA record's own severity word, as the record says it. */
function ghsaWord(path: string): string {
  const record = loadRecords([path]).records[0]!;
  return record.severity.find((e) => e.type === 'vendor')!.severity;
}

const golang = (name: string, version: string) => ({
  name,
  version,
  type: 'golang' as const,
  purl: `pkg:golang/${name}@${version}`,
});
const crate = (name: string, version: string) => ({
  name,
  version,
  type: 'cargo' as const,
  purl: `pkg:cargo/${name}@${version}`,
});

let database: TestDatabase;
let store: Store;
const net = GHSA('2024', '04', 'GHSA-4v7x-pqxf-cx7m');
const sizedChunks = GHSA('2021', '08', 'GHSA-mp6f-p9gp-vpj9');

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  store = await database.open();
  await importSources(store.db, [GO('GO-2024-2687'), net, SIZED_CHUNKS, sizedChunks]);
});

afterAll(async () => {
  await store?.close();
  await database?.dispose();
});

const finding = async (pkg: ReturnType<typeof golang | typeof crate>, id: string, order?: string[]) => {
  const r = await scanPackages(
    store.db,
    { target: 't', packages: [pkg] },
    order ? { severitySources: order } : {},
  );
  const f = r.vulnerabilities.find((v) => v.id === id);
  if (!f) throw new Error(`${id} not found for ${pkg.name}`);
  return f;
};

describe('severity source', () => {
  it("a Go advisory (no severity of its own) takes its GHSA alias record's word, by default", async () => {
    // GO-2024-2687 names golang.org/x/net; its GHSA record names net/http only, so it is read through the alias
    const f = await finding(golang('golang.org/x/net', 'v0.22.0'), 'CVE-2023-45288');
    expect(f.aliases).toEqual(expect.arrayContaining(['GO-2024-2687', 'GHSA-4v7x-pqxf-cx7m']));
    expect(f.dataSource.id).toBe('go');
    expect(f).toMatchObject({ severity: ghsaWord(net), severitySource: 'ghsa' });
  });

  it('applies the order per finding: a named source first, auto in its place, the default when none has one', async () => {
    const pkg = crate('sized-chunks', '0.6.2');
    const rustsec = loadRecords([SIZED_CHUNKS]).records[0]!.severity.find((e) => e.source === 'rustsec')!;
    // default: the advisory's vendor (RustSec: a CVSS vector, no word) has no word, GHSA's word wins
    expect(await finding(pkg, 'CVE-2020-25792')).toMatchObject({
      severity: ghsaWord(sizedChunks),
      severitySource: 'ghsa',
    });
    expect(await finding(pkg, 'CVE-2020-25792', ['rustsec', 'ghsa'])).toMatchObject({
      severity: rustsec.severity,
      severitySource: 'rustsec',
    });
    // a CVE of the same advisory without a GHSA record: the order's second name decides
    expect(await finding(pkg, 'CVE-2020-25791', ['ghsa', 'rustsec'])).toMatchObject({
      severitySource: 'rustsec',
    });
    // NVD has nothing here: `auto` after it, or nothing at all, gives the default
    expect(await finding(pkg, 'CVE-2020-25792', ['nvd', 'auto'])).toMatchObject({ severitySource: 'ghsa' });
    expect(await finding(pkg, 'CVE-2020-25792', ['nvd'])).toMatchObject({ severitySource: 'ghsa' });
  });

  it('reads an order; refuses unknown, empty and repeated names with one line naming the input', () => {
    expect(parseSeveritySources('ubuntu, NVD,ghsa', '--vuln-severity-source')).toEqual([
      'ubuntu',
      'nvd',
      'ghsa',
    ]);
    expect(parseSeveritySources('auto', 'x')).toEqual(['auto']);
    for (const name of ['debian', 'redhat', 'alpine', 'ghsa', 'nvd', 'go', 'rustsec', 'pypi'])
      expect(severitySourceNames()).toContain(name);
    const error = (text: string) => {
      try {
        parseSeveritySources(text, '--vuln-severity-source');
      } catch (e) {
        expect(e).toBeInstanceOf(UserInputError);
        return (e as Error).message;
      }
      throw new Error(`${text} was accepted`);
    };
    expect(error('ubuntu,nvdd')).toMatch(/^--vuln-severity-source: "nvdd" is not a severity source \(alma, /);
    expect(error('ghsa,,nvd')).toBe('--vuln-severity-source: "ghsa,,nvd" has an empty source name');
    expect(error('nvd,NVD')).toBe('--vuln-severity-source: "nvd" is given twice');
  });
});
