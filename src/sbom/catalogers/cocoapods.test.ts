import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogView } from '../catalog.js';
import { catalogFiles, viewOf } from '../test-support/view.js';
import { cocoapods } from './cocoapods.js';

const TRIVY = ['images', 'peer-cases', 'trivy', 'integration/testdata/fixtures/repo'];

describe('cocoapods', () => {
  it("Trivy's Podfile.lock fixture: each pod of PODS as pkg:cocoapods", () => {
    const pkgs = catalogFiles(
      { 'app/ios/Podfile.lock': readFileSync(corpusPath(...TRIVY, 'cocoapods/Podfile.lock')) },
      [cocoapods],
    );
    expect(pkgs.map((p) => [p.name, p.version, p.purl, p.path])).toEqual([
      ['_NIODataStructures', '2.41.0', 'pkg:cocoapods/_NIODataStructures@2.41.0', '/app/ios/Podfile.lock'],
    ]);
  });

  it('pods with their requirements (map entries); a subspec keeps its name, its purl is the pod with a subpath', () => {
    const lock = [
      'PODS:',
      '  - AppCenter (4.2.0):',
      '    - AppCenter/Analytics (= 4.2.0)',
      '  - AppCenter/Analytics (4.2.0):',
      '    - AppCenter/Core',
      '  - AppCenter/Core (4.2.0)',
      '  - KeychainAccess (4.2.1)',
      '',
      'DEPENDENCIES:',
      '  - AppCenter (~> 4.2)',
      '',
      'COCOAPODS: 1.10.1',
    ].join('\n');
    const pkgs = catalogFiles({ 'Podfile.lock': lock }, [cocoapods]);
    expect(pkgs.map((p) => p.purl).sort()).toEqual([
      'pkg:cocoapods/AppCenter@4.2.0',
      'pkg:cocoapods/AppCenter@4.2.0#Analytics',
      'pkg:cocoapods/AppCenter@4.2.0#Core',
      'pkg:cocoapods/KeychainAccess@4.2.1',
    ]);
    expect(pkgs.map((p) => p.name).sort()).toEqual([
      'AppCenter',
      'AppCenter/Analytics',
      'AppCenter/Core',
      'KeychainAccess',
    ]);
  });

  it('a file that is not YAML is skipped with the reason, not thrown', () => {
    const view = viewOf({ 'app/Podfile.lock': 'PODS:\n  - [unclosed' });
    expect(catalogView(view, [], [cocoapods]).packages).toEqual([]);
    expect(view.skipped).toEqual([
      { path: '/app/Podfile.lock', reason: expect.stringMatching(/^cocoapods: /) },
    ]);
  });
});
