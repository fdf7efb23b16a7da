import { describe, expect, it } from 'vitest';
import { debianNamespace, ecosystemNamespace, normalizePackage, redhatPlatform } from './namespaces.js';

describe('namespaces', () => {
  it.each([
    ['Go', 'go'],
    ['PyPI', 'pypi'],
    ['crates.io', 'cargo'],
    ['npm', 'npm'],
    ['Maven', 'maven'],
    ['Packagist', 'composer'],
    ['Debian:12', 'deb/debian/12'],
    ['Alpine:v3.18', 'apk/alpine/3.18'],
    ['Ubuntu:22.04:LTS', 'deb/ubuntu/22.04'],
    ['Ubuntu:Pro:18.04:LTS', 'deb/ubuntu-pro/18.04'],
    ['Wolfi', 'apk/wolfi/rolling'],
    ['GitHub Actions', 'github-actions'],
  ])('OSV ecosystem %s is %s', (ecosystem, namespace) => {
    expect(ecosystemNamespace(ecosystem)).toBe(namespace);
  });

  it('maps Debian codenames to the release a system reports', () => {
    expect(debianNamespace('bookworm')).toBe('deb/debian/12');
    expect(debianNamespace('woody')).toBe('deb/debian/3.0');
    expect(debianNamespace('sid')).toBe('deb/debian/unstable');
    expect(debianNamespace('atlantis')).toBeUndefined();
  });

  it.each([
    ['Red Hat Enterprise Linux 9', '9'],
    ['Red Hat Enterprise Linux 8.6 Extended Update Support', '8.6+eus'],
    ['Red Hat Enterprise Linux 7 Extended Lifecycle Support', '7+els'],
    ['Red Hat Enterprise Linux 8.2 Advanced Update Support', undefined],
    ['Red Hat Enterprise Linux 7 Supplementary', undefined],
    ['Red Hat Software Collections', undefined],
  ])('Red Hat product %s is the RHEL stream %s', (product, stream) => {
    expect(redhatPlatform(product)).toBe(stream);
  });

  it('normalizes PyPI names as PEP 503 does, and nothing else', () => {
    expect(normalizePackage('pypi', 'Zope.Interface_x')).toBe('zope-interface-x');
    expect(normalizePackage('npm', 'Lodash')).toBe('Lodash');
  });
});
