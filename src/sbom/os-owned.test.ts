import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { goBinary } from '../../test/fixtures/go-binary.js';
import { catalogImage, wantsOf } from './catalog.js';
import { dpkg } from './catalogers/dpkg.js';
import { CATALOGERS } from './catalogers/index.js';
import { osOwnedFiles } from './os-owned.js';
import { viewOf } from './test-support/view.js';

const names = (pkgs: readonly { name: string; type: string }[]) =>
  pkgs.map((p) => `${p.type}:${p.name}`).sort();

describe('an npm package an apk package installed (grype image-alpine-match-coverage)', () => {
  const root = corpusPath('images/grype/test/integration/testdata/image-alpine-match-coverage');

  it('is left out by default, with the apk packages kept', async () => {
    const r = await catalogImage(`dir:${root}`);
    expect(r.detectionPriority).toBe('precise');
    expect(r.osOwned).toBe(1);
    expect(r.packages.filter((p) => p.type === 'npm')).toEqual([]);
    expect(names(r.packages)).toContain('apk:npm-apk-subpackage-with-false-positive');
  });

  it('is listed with the comprehensive priority', async () => {
    const r = await catalogImage(`dir:${root}`, { detectionPriority: 'comprehensive' });
    expect(r.osOwned).toBe(0);
    expect(r.packages.filter((p) => p.type === 'npm')).toMatchObject([
      {
        name: 'npm-apk-subpackage-with-false-positive',
        version: '1.0.0',
        path: '/lib/node_modules/npm-apk-subpackage-with-false-positive/package.json',
      },
    ]);
  });
});

// Debian's python3-six as bookworm installs it: status stanza and info/python3-six.list as dpkg writes them
const STATUS = `Package: python3-six
Status: install ok installed
Priority: optional
Section: python
Installed-Size: 66
Maintainer: Debian Python Team <team+python@tracker.debian.org>
Architecture: all
Source: six
Version: 1.16.0-4
Depends: python3:any
Description: Python 2 and 3 compatibility library
 Six is a Python 2 and 3 compatibility library.
Homepage: https://github.com/benjaminp/six

`;
const SIX_LIST = `/.
/usr
/usr/lib
/usr/lib/python3
/usr/lib/python3/dist-packages
/usr/lib/python3/dist-packages/six-1.16.0.egg-info
/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO
/usr/lib/python3/dist-packages/six-1.16.0.egg-info/dependency_links.txt
/usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt
/usr/lib/python3/dist-packages/six.py
/usr/share
/usr/share/doc
/usr/share/doc/python3-six
/usr/share/doc/python3-six/changelog.Debian.gz
/usr/share/doc/python3-six/copyright
`;
const PKG_INFO = (name: string, version: string) =>
  `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: x\nLicense: MIT\n\nlong description\n`;

describe('a Python package a deb installed (dpkg info/*.list)', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bulkhead-os-owned-'));
    const files: Record<string, string> = {
      'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
      'var/lib/dpkg/status': STATUS,
      'var/lib/dpkg/info/python3-six.list': SIX_LIST,
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO': PKG_INFO('six', '1.16.0'),
      // installed by pip, which no dpkg list names
      'usr/local/lib/python3.11/dist-packages/requests-2.31.0.dist-info/METADATA': PKG_INFO(
        'requests',
        '2.31.0',
      ),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the pip package and the deb, and leaves out the deb-installed one by default', async () => {
    const r = await catalogImage(`dir:${root}`);
    expect(names(r.packages)).toEqual(['deb:python3-six', 'pypi:requests']);
    expect(r.osOwned).toBe(1);
  });

  it('lists both Python packages with the comprehensive priority', async () => {
    const r = await catalogImage(`dir:${root}`, { detectionPriority: 'comprehensive' });
    expect(names(r.packages)).toEqual(['deb:python3-six', 'pypi:requests', 'pypi:six']);
  });

  it('filters nothing when only OS catalogers run', async () => {
    const r = await catalogImage(`dir:${root}`, { catalogers: [dpkg] });
    expect(names(r.packages)).toEqual(['deb:python3-six']);
    expect(r.osOwned).toBe(0);
  });
});

describe('a Go binary an rpm installed (grype image-centos-match-coverage: the dive rpm)', () => {
  const fixture = corpusPath('images/grype/test/integration/testdata/image-centos-match-coverage');
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bulkhead-os-owned-rpm-'));
    for (const path of ['etc/os-release', 'var/lib/rpm/Packages']) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(join(fixture, path), join(root, path));
    }
    // the rpmdb lists /usr/local/bin/dive; a real Go binary stands at that path
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/local/bin/dive'), readFileSync(goBinary()), { mode: 0o755 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves out its modules by default and lists them with the comprehensive priority', async () => {
    const precise = await catalogImage(`dir:${root}`);
    expect(names(precise.packages)).toEqual(['rpm:dive']);
    expect(precise.osOwned).toBeGreaterThan(0);
    const comprehensive = await catalogImage(`dir:${root}`, { detectionPriority: 'comprehensive' });
    expect(names(comprehensive.packages)).toEqual(['golang:example.com/greet', 'golang:stdlib', 'rpm:dive']);
  });
});

describe('osOwnedFiles', () => {
  it('reads distroless status.d md5sums and keeps only paths the view holds', () => {
    const view = viewOf({
      'var/lib/dpkg/status.d/python3.md5sums':
        'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5  usr/lib/python3.11/lib-dynload/Python-3.11.egg-info\n' +
        'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5  usr/bin/python3.11\n',
      'usr/lib/python3.11/lib-dynload/Python-3.11.egg-info': PKG_INFO('Python', '3.11.2'),
    });
    expect([...osOwnedFiles(view)]).toEqual(['usr/lib/python3.11/lib-dynload/Python-3.11.egg-info']);
  });

  it('resets the apk folder at each package', () => {
    const view = viewOf({
      'lib/apk/db/installed':
        'P:a\nV:1\nF:usr/lib/node_modules/a\nR:package.json\n\nP:b\nV:1\nR:package.json\n',
      'usr/lib/node_modules/a/package.json': '{"name":"a","version":"1"}',
      'package.json': '{"name":"b","version":"1"}',
    });
    expect([...osOwnedFiles(view)].sort()).toEqual(['package.json', 'usr/lib/node_modules/a/package.json']);
  });
});

describe('wantsOf', () => {
  const info = { size: 100, mode: 0o644 };
  it('reads the OS packages’ file lists only when precise', () => {
    expect(wantsOf(CATALOGERS)('var/lib/dpkg/info/python3-six.list', info)).toBeDefined();
    expect(wantsOf(CATALOGERS, 'comprehensive')('var/lib/dpkg/info/python3-six.list', info)).toBeUndefined();
    expect(wantsOf([dpkg])('var/lib/dpkg/info/python3-six.list', info)).toBeUndefined();
  });
});
