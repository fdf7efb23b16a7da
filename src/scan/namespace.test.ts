import { describe, expect, it } from 'vitest';
import type { Package } from '../sbom/types.js';
import { packageQuery } from './namespace.js';

const libwebpTools: Package = {
  name: 'libwebp-tools',
  version: '1.2.0-6.el9_0',
  type: 'rpm',
  purl: 'pkg:rpm/redhat/libwebp-tools@1.2.0-6.el9_0',
  sourceName: 'libwebp',
  sourceVersion: '1.2.0-6.el9_0',
};

describe('how an RPM package is looked up', () => {
  it('by binary name in the Red Hat family, whose errata name binary packages', () => {
    expect(packageQuery(libwebpTools, { family: 'redhat', version: '9' })).toEqual({
      namespace: 'rpm/redhat/9',
      names: ['libwebp-tools'],
      version: '1.2.0-6.el9_0',
      os: true,
    });
  });

  it('by binary name, then by source name on Fedora, whose updates name builds (source packages)', () => {
    expect(packageQuery(libwebpTools, { family: 'fedora', version: '40' })?.names).toEqual([
      'libwebp-tools',
      'libwebp',
    ]);
  });

  it('once when binary and source share a name; Photon by source name alone', () => {
    const libwebp = { ...libwebpTools, name: 'libwebp' };
    expect(packageQuery(libwebp, { family: 'rocky', version: '9' })?.names).toEqual(['libwebp']);
    expect(packageQuery(libwebpTools, { family: 'photon', version: '4.0' })?.names).toEqual(['libwebp']);
  });
});
