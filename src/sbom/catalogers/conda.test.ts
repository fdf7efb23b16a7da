import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles } from '../test-support/view.js';
import { conda, condaSpec } from './conda.js';

const META = 'integration/testdata/fixtures/repo/conda/miniconda3/envs/testenv/conda-meta';
const meta = (f: string) => readFileSync(corpusPath('images', 'peer-cases', 'trivy', META, f));

describe('conda', () => {
  it('installed packages from conda-meta records, with their license', () => {
    const pkgs = catalogFiles(
      {
        'opt/conda/envs/testenv/conda-meta/openssl-1.1.1q-h7f8727e_0.json': meta(
          'openssl-1.1.1q-h7f8727e_0.json',
        ),
        'opt/conda/envs/testenv/conda-meta/pip-22.2.2-py38h06a4308_0.json': meta(
          'pip-22.2.2-py38h06a4308_0.json',
        ),
        'opt/conda/conda-meta/history': '==> 2022-09-01 <==',
        'opt/conda/conda-meta/broken.json': '{"name": "x"',
      },
      [conda],
    );
    expect(pkgs.map((p) => [p.purl, p.licenses])).toEqual([
      ['pkg:conda/openssl@1.1.1q', ['OpenSSL']],
      ['pkg:conda/pip@22.2.2', ['MIT']],
    ]);
  });

  it('environment files: pinned specs only; the pip section belongs to PyPI', () => {
    const env = [
      'name: test-env',
      'channels: [defaults]',
      'dependencies:',
      '  - bzip2=1.0.8=h998d150_5',
      '  - conda-forge::numpy==1.26.4',
      '  - python 3.11.4',
      '  - scipy>=1.10',
      '  - pandas',
      '  - pip:',
      '      - requests==2.31.0',
    ].join('\n');
    const pkgs = catalogFiles({ 'proj/environment.yml': env }, [conda]);
    expect(pkgs.map((p) => p.purl)).toEqual([
      'pkg:conda/bzip2@1.0.8',
      'pkg:conda/numpy@1.26.4',
      'pkg:conda/python@3.11.4',
    ]);
    expect(catalogFiles({ 'environment.yaml': 'dependencies: [\n' }, [conda])).toEqual([]);
    expect(condaSpec('openssl=1.1.*')).toBeUndefined();
  });
});
