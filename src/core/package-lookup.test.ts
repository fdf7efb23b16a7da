import { describe, expect, it } from 'vitest';
import { packageLookup, purlLookup } from './package-lookup.js';

describe('packageLookup', () => {
  it('gives a package name and the name in its purl the same key, in every ecosystem', () => {
    const pairs: [name: string, purl: string][] = [
      ['openssl', 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12'],
      ['@babel/core', 'pkg:npm/%40babel/core@7.23.0'],
      [
        'com.fasterxml.jackson.core:jackson-databind',
        'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
      ],
      ['golang.org/x/net', 'pkg:golang/golang.org/x/net@v0.17.0'],
      ['github.com/foo/bar/v2', 'pkg:golang/github.com/foo/bar/v2@v2.1.0'],
      ['PyYAML', 'pkg:pypi/pyyaml@6.0.1'],
      ['zope.interface', 'pkg:pypi/zope-interface@6.1'],
      ['typing_extensions', 'pkg:pypi/typing-extensions@4.8.0'],
      ['symfony/console', 'pkg:composer/symfony/console@6.3.0'],
      ['Newtonsoft.Json', 'pkg:nuget/Newtonsoft.Json@13.0.1'],
      ['libstdc++6', 'pkg:deb/debian/libstdc%2B%2B6@12.2.0-14'],
    ];
    for (const [name, purl] of pairs) expect(packageLookup(name), name).toBe(purlLookup(purl));
  });

  it('has no key for what is not a purl', () => {
    expect(purlLookup('openssl')).toBeUndefined();
    expect(purlLookup('pkg:npm/%E0%A4%A@1')).toBeUndefined();
  });

  it('keeps a name with no segment after its separator whole', () => {
    expect(packageLookup('odd/')).toBe('odd');
    expect(packageLookup('/')).toBe('/');
  });
});
