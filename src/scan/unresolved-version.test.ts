import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saltAdvisoryPath } from '../../test/corpus.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { importSources } from '../vulndb/importer.js';
import { scanPackages } from './scan.js';

const SALT = saltAdvisoryPath();

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = await freshDatabase('sqlite');
  store = await database.open();
  await importSources(store.db, [SALT]);
});

afterAll(async () => {
  await store?.close();
  await database?.dispose();
});

describe('versions that are wildcards or ranges', () => {
  it('are never matched as a release, whether the catalog or an imported SBOM says so', async () => {
    const scan = (version: string, unresolved?: true) =>
      scanPackages(store.db, {
        target: 'sbom:app',
        packages: [
          {
            name: 'salt',
            version,
            type: 'pypi',
            purl: 'pkg:pypi/salt',
            ...(unresolved ? { unresolved } : {}),
          },
        ],
      });
    // the exact release is affected: the advisory matches it
    expect((await scan('3000.1')).vulnerabilities.map((f) => f.id)).toContain('CVE-2020-11651');
    expect((await scan('3000.*', true)).vulnerabilities).toEqual([]);
    expect((await scan('>=2019.2')).vulnerabilities).toEqual([]);
  });
});
