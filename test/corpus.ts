import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SHARED_ROOT } from './shared-root.js';

/** The shared, read-only corpus (`../shared/corpus`, see shared-root.ts), or $BULKHEAD_CORPUS. */
export const CORPUS_ROOT = resolve(process.env.BULKHEAD_CORPUS ?? join(SHARED_ROOT, 'corpus'));

/** Path of a corpus file or folder; throws with a clear message when the corpus is absent. */
export function corpusPath(...parts: string[]): string {
  const path = join(CORPUS_ROOT, ...parts);
  if (!existsSync(path))
    throw new Error(`corpus path missing: ${path} (is ../shared beside the repository?)`);
  return path;
}

/** CISA's KEV catalog as the corpus holds it. */
export const kevCatalogPath = () =>
  corpusPath('vulndb', 'kev', 'cisagov-kev-data', 'known_exploited_vulnerabilities.json');

/** FIRST's EPSS scores in the published CSV format: vunnel's test sample. */
export const epssSamplePath = () =>
  corpusPath(
    'vulndb',
    'epss',
    'vunnel',
    'tests',
    'unit',
    'providers',
    'epss',
    'test-fixtures',
    'example-1.csv',
  );

/** PyPA's advisory for salt (PYSEC-2020-102, CVE-2020-11651: affects 3000.1, in CISA's KEV). */
export const saltAdvisoryPath = () =>
  corpusPath('vulndb', 'osv', 'pypi', 'pypa-advisory-database', 'vulns', 'salt', 'PYSEC-2020-102.yaml');
