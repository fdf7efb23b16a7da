import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles } from '../test-support/view.js';
import { swift, swiftPackageName } from './swift.js';

const TRIVY_V1 = corpusPath(
  'images',
  'peer-cases',
  'trivy',
  'integration/testdata/fixtures/repo/swift/Package.resolved',
);

describe('swift', () => {
  it('Package.resolved v1: repository URLs as GHSA SwiftURL names them, purl namespace = host/owner', () => {
    const pkgs = catalogFiles({ 'app/Package.resolved': readFileSync(TRIVY_V1) }, [swift]);
    expect(pkgs.map((p) => [p.name, p.version, p.purl, p.path])).toEqual([
      [
        'github.com/apple/swift-atomics',
        '1.1.0',
        'pkg:swift/github.com/apple/swift-atomics@1.1.0',
        '/app/Package.resolved',
      ],
      [
        'github.com/apple/swift-nio',
        '2.41.0',
        'pkg:swift/github.com/apple/swift-nio@2.41.0',
        '/app/Package.resolved',
      ],
    ]);
  });

  it('v2/v3 pins by location; branch and revision-only pins have no version and are left out', () => {
    const resolved = {
      originHash: 'abc',
      pins: [
        {
          identity: 'swift-log',
          kind: 'remoteSourceControl',
          location: 'https://github.com/apple/swift-log.git',
          state: { revision: '32e8d7', version: '1.5.3' },
        },
        {
          identity: 'vapor',
          kind: 'remoteSourceControl',
          location: 'git@github.com:vapor/vapor.git',
          state: { revision: '1a2b', version: '4.89.0' },
        },
        { identity: 'wip', location: 'https://example.org/wip', state: { branch: 'main', revision: 'ff' } },
        { identity: 'broken', state: 'nonsense' },
      ],
      version: 3,
    };
    const pkgs = catalogFiles({ 'Package.resolved': JSON.stringify(resolved) }, [swift]);
    expect(pkgs.map((p) => p.purl)).toEqual([
      'pkg:swift/github.com/apple/swift-log@1.5.3',
      'pkg:swift/github.com/vapor/vapor@4.89.0',
    ]);
    expect(catalogFiles({ 'Package.resolved': '{ truncated' }, [swift])).toEqual([]);
  });

  it('names: scheme, user, trailing slash and .git removed', () => {
    expect(swiftPackageName('https://github.com/apple/swift-nio')).toBe('github.com/apple/swift-nio');
    expect(swiftPackageName('ssh://git@gitlab.com/a/b.git/')).toBe('gitlab.com/a/b');
    expect(swiftPackageName('git@github.com:a/b.git')).toBe('github.com/a/b');
  });
});
