import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { writeRecords } from '../vulndb/store.js';
import { scanPackages } from './scan.js';
import { fixedBelow, record } from './test-support.js';
import { openVexRepositories, openVexRepository, repositoryVex, vexPackageId } from './vex-repository.js';

let root: string;
let database: TestDatabase;
let store: Store;

const write = (path: string, doc: unknown) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
};
const openvex = (vuln: string, product: string, sub?: string) => ({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  statements: [
    {
      vulnerability: { name: vuln },
      products: [{ '@id': product, ...(sub ? { subcomponents: [{ '@id': sub }] } : {}) }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
});

/** A repository in the spec's layout: manifest, then <spec version>/index.json and the documents. */
function repository(dir: string, name: string, packages: unknown[], docs: Record<string, unknown>) {
  write(join(dir, 'vex-repository.json'), {
    name,
    versions: [
      { spec_version: '0.1', locations: [{ url: 'https://vex.example/0.1.tar.gz' }] },
      { spec_version: '1.0', locations: [{ url: 'https://vex.example/1.0.tar.gz' }] },
    ],
  });
  write(join(dir, '0.1', 'index.json'), { version: 1, packages });
  for (const [path, doc] of Object.entries(docs)) write(join(dir, '0.1', path), doc);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bulkhead-vexrepo-'));
  repository(
    join(root, 'hub', 'repositories', 'a-team'),
    'team',
    [
      { id: 'pkg:golang/github.com/acme/app', location: './pkg/golang/app.openvex.json' },
      { ID: 'pkg:npm/lodash', Location: 'lodash.json' },
      { id: 'pkg:oci/app?repository_url=registry.local%2Fteam%2Fapp', location: 'oci.json' },
      { id: 42 },
      { location: 'nothing.json' },
    ],
    {
      'pkg/golang/app.openvex.json': openvex(
        'CVE-2022-23628',
        'pkg:golang/github.com/acme/app',
        'pkg:golang/github.com/open-policy-agent/opa@v0.35.0',
      ),
      'lodash.json': openvex('CVE-2018-3721', 'pkg:npm/lodash@4.17.4'),
      'oci.json': openvex('CVE-2024-0001', 'pkg:oci/app?repository_url=registry.local%2Fteam%2Fapp'),
    },
  );
  // a second repository: lodash is already indexed by the first one, which wins
  repository(
    join(root, 'hub', 'repositories', 'b-community'),
    'community',
    [{ id: 'pkg:npm/lodash', location: 'lodash.json' }],
    { 'lodash.json': openvex('CVE-2018-16487', 'pkg:npm/lodash') },
  );
  database = await freshDatabase('sqlite');
  store = await database.open();
  await writeRecords(
    store.db,
    [
      record('ghsa', 'CVE-2022-23628', {
        namespace: 'go',
        package: 'github.com/open-policy-agent/opa',
        ranges: fixedBelow('0.37.2'),
      }),
    ],
    'test',
  );
});

afterAll(async () => {
  await store?.close();
  await database?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('VEX repositories', () => {
  it('package ids: purl without version, qualifiers and subpath; OCI keeps repository_url', () => {
    expect(vexPackageId('pkg:npm/%40types/node@20.1.0?arch=x#sub')).toBe('pkg:npm/%40types/node');
    expect(vexPackageId('pkg:oci/app@sha256:ab?arch=amd64&repository_url=registry.local/team/app')).toBe(
      'pkg:oci/app?repository_url=registry.local%2Fteam%2Fapp',
    );
    expect(vexPackageId('not a purl')).toBeUndefined();
  });

  it('reads the newest supported spec version present; malformed index entries are dropped and counted', () => {
    const repo = openVexRepository(join(root, 'hub', 'repositories', 'a-team'));
    expect(repo.name).toBe('team');
    expect(repo.dir.endsWith('0.1')).toBe(true);
    expect([...repo.index.keys()].sort()).toEqual([
      'pkg:golang/github.com/acme/app',
      'pkg:npm/lodash',
      'pkg:oci/app?repository_url=registry.local%2Fteam%2Fapp',
    ]);
    expect(repo.dropped).toBe(2);
  });

  it('looks documents up by the packages and own components; the first repository indexing a package wins', () => {
    const repos = openVexRepositories(join(root, 'hub'));
    expect(repos.map((r) => r.name)).toEqual(['team', 'community']);
    const got = repositoryVex(repos, [
      'pkg:golang/github.com/acme/app',
      'pkg:npm/lodash@4.17.4',
      'pkg:npm/ms@2.1.3',
      'pkg:oci/app@sha256:ab?repository_url=registry.local/team/app',
    ]);
    expect(got.map((s) => `${s.vulnerability} ${s.document}`).sort()).toEqual([
      'CVE-2018-3721 team: lodash.json',
      'CVE-2022-23628 team: pkg/golang/app.openvex.json',
      'CVE-2024-0001 team: oci.json',
    ]);
    expect(repositoryVex(repos, ['pkg:npm/ms@2.1.3'])).toEqual([]);
  });

  it('suppresses a dependency finding through the product (the project itself) that indexes it', async () => {
    const repos = openVexRepositories(join(root, 'hub', 'repositories', 'a-team'));
    const opa = {
      name: 'github.com/open-policy-agent/opa',
      version: 'v0.35.0',
      type: 'golang' as const,
      purl: 'pkg:golang/github.com/open-policy-agent/opa@v0.35.0',
    };
    const input = { target: 'dir:app', packages: [opa], components: ['pkg:golang/github.com/acme/app'] };
    const vex = repositoryVex(repos, [...input.components, opa.purl]);
    const r = await scanPackages(store.db, input, { vex });
    expect(r.vulnerabilities).toEqual([]);
    expect(r.suppressed).toEqual([
      expect.objectContaining({ id: 'CVE-2022-23628', by: 'vex', reason: expect.stringContaining('team:') }),
    ]);
    // without the project's own component the repository has no document for these packages
    const plain = await scanPackages(
      store.db,
      { target: 'dir:app', packages: [opa] },
      {
        vex: repositoryVex(repos, [opa.purl]),
      },
    );
    expect(plain.vulnerabilities.map((f) => f.id)).toEqual(['CVE-2022-23628']);
  });

  it('bad repositories are input errors: no manifest, no downloaded version, a document outside the repository', () => {
    expect(() => openVexRepositories(join(root, 'nowhere'))).toThrow(UserInputError);
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => openVexRepositories(empty)).toThrow(/no vex-repository\.json/);
    const future = join(root, 'future');
    write(join(future, 'vex-repository.json'), { name: 'f', versions: [{ spec_version: '1.0' }] });
    write(join(future, '1.0', 'index.json'), { packages: [] });
    expect(() => openVexRepository(future)).toThrow(/no downloaded spec version 0\.x/);
    const broken = join(root, 'broken');
    write(join(broken, 'vex-repository.json'), '{ "name": ');
    expect(() => openVexRepository(broken)).toThrow(/vex-repository\.json/);
    const outside = join(root, 'outside');
    repository(
      outside,
      'outside',
      [{ id: 'pkg:npm/x', location: '../../hub/repositories/a-team/0.1/lodash.json' }],
      {},
    );
    expect(() => repositoryVex([openVexRepository(outside)], ['pkg:npm/x@1.0.0'])).toThrow(
      /outside the repository/,
    );
    const missing = join(root, 'missing');
    repository(missing, 'missing', [{ id: 'pkg:npm/x', location: 'gone.json' }], {});
    expect(() => repositoryVex([openVexRepository(missing)], ['pkg:npm/x@1.0.0'])).toThrow(/missing/);
  });
});
