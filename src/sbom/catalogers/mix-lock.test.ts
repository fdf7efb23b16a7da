import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles, keys } from '../test-support/view.js';
import { mixLock } from './mix-lock.js';

describe('mix-lock', () => {
  it("Trivy's and grype's mix.lock fixtures: every Hex dependency as pkg:hex", () => {
    const trivy = catalogFiles(
      {
        'app/mix.lock': readFileSync(
          corpusPath('images', 'peer-cases', 'trivy', 'integration/testdata/fixtures/repo/mixlock/mix.lock'),
        ),
      },
      [mixLock],
    );
    expect(keys(trivy)).toEqual([
      'castore@0.1.18',
      'jason@1.4.0',
      'phoenix@1.6.13',
      'phoenix_html@3.2.0',
      'phoenix_pubsub@2.1.1',
      'phoenix_template@1.0.0',
      'phoenix_view@2.0.1',
      'plug@1.14.0',
      'plug_crypto@1.2.3',
      'telemetry@1.1.0',
    ]);
    expect(trivy.find((p) => p.name === 'phoenix')!.purl).toBe('pkg:hex/phoenix@1.6.13');
    const grype = catalogFiles(
      {
        'mix.lock': readFileSync(
          corpusPath('images', 'grype', 'test/integration/testdata/image-debian-match-coverage/hex/mix.lock'),
        ),
      },
      [mixLock],
    );
    expect(grype.map((p) => p.purl)).toEqual(['pkg:hex/plug@1.11.0']);
  });

  it('an aliased dependency by its Hex name; git and path dependencies are left out', () => {
    const lock = [
      '%{',
      '  "my_json": {:hex, :jason, "1.4.1", "af1504e3", [:mix], [], "hexpm", "fbb01ecd"},',
      '  "quoted": {:hex, :"ex_doc", "0.30.6", "a7a4", [:mix], [], "hexpm", "bd48"},',
      '  "private": {:git, "https://github.com/acme/private.git", "0c3f5e1", [branch: "main"]},',
      '  "local": {:path, "../local"},',
      '}',
    ].join('\n');
    expect(keys(catalogFiles({ 'mix.lock': lock }, [mixLock]))).toEqual(['ex_doc@0.30.6', 'jason@1.4.1']);
  });
});
