import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles } from '../test-support/view.js';
import { pub } from './pub.js';

describe('pub', () => {
  it("Trivy's pubspec.lock fixture: direct and transitive packages as pkg:pub", () => {
    const pkgs = catalogFiles(
      {
        'app/pubspec.lock': readFileSync(
          corpusPath(
            'images',
            'peer-cases',
            'trivy',
            'integration/testdata/fixtures/repo/pubspec/pubspec.lock',
          ),
        ),
      },
      [pub],
    );
    expect(pkgs.map((p) => p.purl)).toEqual(['pkg:pub/http@0.13.2', 'pkg:pub/shelf@1.3.1']);
  });

  it('an SDK package keeps the 0.0.0 of the lock file; an entry without a version is left out', () => {
    const lock = [
      'packages:',
      '  flutter:',
      '    dependency: "direct main"',
      '    description: flutter',
      '    source: sdk',
      '    version: "0.0.0"',
      '  broken:',
      '    dependency: transitive',
      'sdks:',
      '  flutter: ">=3.3.0"',
    ].join('\n');
    expect(catalogFiles({ 'pubspec.lock': lock }, [pub]).map((p) => p.purl)).toEqual([
      'pkg:pub/flutter@0.0.0',
    ]);
  });
});
