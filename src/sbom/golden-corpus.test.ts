/**
 * The package databases of the corpus (syft, grype, osv-scalibr, claircore, go-rpmdb, trivy) read by our
 * catalogers must give what the real package managers read from the same files: `dpkg-query` for dpkg
 * status files, `rpm -qa` for SQLite and Berkeley DB rpmdbs. (The peers' own expectations live in Go test
 * code that was not copied.)
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { apk } from './catalogers/apk.js';
import { dpkg } from './catalogers/dpkg.js';
import { rpm } from './catalogers/rpm.js';
import { readNdb } from './rpm/ndb.js';
import { catalogFiles, parseTxtar } from './test-support/view.js';

const work = mkdtempSync(join(tmpdir(), 'bulkhead-golden-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dpkgQuery(status: string): string[] | undefined {
  const dir = mkdtempSync(join(work, 'dpkg-'));
  writeFileSync(join(dir, 'status'), status);
  mkdirSync(join(dir, 'info'));
  try {
    const out = execFileSync(
      'dpkg-query',
      [
        `--admindir=${dir}`,
        '-W',
        '-f',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format
        '${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return out
      .split('\n')
      .filter((l) => l.startsWith('installed\t'))
      .map((l) => l.split('\t').slice(1).join(' '))
      .sort();
  } catch {
    return undefined; // dpkg refuses the file: compared elsewhere
  }
}

const IMAGES = ['images'];
const DPKG_STATUS: string[] = [
  'claircore/dpkg/testdata/texlive.status',
  'claircore/dpkg/testdata/vcpkg.status',
  'claircore/dpkg/testdata/debian-only.status',
  'syft/syft/pkg/cataloger/debian/testdata/image-dpkg/var/lib/dpkg/status',
  'grype/test/integration/testdata/image-debian-match-coverage/var/lib/dpkg/status',
  ...[
    'single',
    'statusfield',
    'trailingnewlines',
    'transitional',
    'transitional_dummy',
    'transitional_empty',
    'noversion',
    'nopackage',
  ].map((f) => `osv-scalibr/extractor/filesystem/os/dpkg/testdata/dpkg/${f}`),
];

describe('dpkg cataloger agrees with dpkg-query', () => {
  const ours = (status: string) =>
    catalogFiles({ 'var/lib/dpkg/status': status }, [dpkg])
      .map((p) => `${p.name} ${p.version} ${p.sourceName} ${p.sourceVersion}`)
      .sort();

  it.each(DPKG_STATUS)('%s', (file) => {
    const status = readFileSync(corpusPath(...IMAGES, file), 'utf8');
    const want = dpkgQuery(status);
    if (want === undefined) {
      // dpkg rejects it as malformed: we must not crash and must report only complete stanzas
      for (const p of catalogFiles({ 'var/lib/dpkg/status': status }, [dpkg])) expect(p.version).not.toBe('');
      return;
    }
    expect(ours(status)).toEqual(want);
  });

  it.each(['valid', 'third-party', 'only-apt'])('trivy %s.txtar', (name) => {
    const files = parseTxtar(
      readFileSync(corpusPath(...IMAGES, `trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/${name}.txtar`), 'utf8'),
    );
    const status = files['var/lib/dpkg/status']!;
    expect(ours(status)).toEqual(dpkgQuery(status));
    expect(ours(status).length).toBeGreaterThan(0);
  });

  it('distroless status.d: each file is a stanza, md5sums are not packages', () => {
    const dir = corpusPath(
      ...IMAGES,
      'syft/syft/pkg/cataloger/debian/testdata/image-distroless-deb/var/lib/dpkg/status.d',
    );
    const files: Record<string, string> = {};
    for (const f of readdirSync(dir))
      files[`var/lib/dpkg/status.d/${f}`] = readFileSync(join(dir, f), 'utf8');
    const got = catalogFiles(files, [dpkg]);
    expect(got.map((p) => `${p.name} ${p.version} ${p.sourceName}`)).toEqual(
      dpkgQuery(`Status: install ok installed\n${files['var/lib/dpkg/status.d/libsqlite3-0']}`)!.map((l) =>
        l.split(' ').slice(0, 3).join(' '),
      ),
    );
    expect(got[0]!.purl).toMatch(/^pkg:deb\/debian\/libsqlite3-0@/);
  });
});

function rpmQa(file: string, backend: 'sqlite' | 'bdb_ro'): string[] {
  const dir = mkdtempSync(join(work, 'rpm-'));
  copyFileSync(file, join(dir, backend === 'sqlite' ? 'rpmdb.sqlite' : 'Packages'));
  const out = execFileSync(
    'rpm',
    [
      '--dbpath',
      dir,
      '--define',
      `_db_backend ${backend}`,
      '-qa',
      '--qf',
      '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}\\n',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('gpg-pubkey '))
    .map((l) => {
      const [name, evr, arch, srpm] = l.split(' ');
      return `${name} ${evr!.replace(/^0:/, '')} ${arch} ${srpm === '(none)' ? name : srpm!.replace(/-[^-]+-[^-]+\.(?:no)?src\.rpm$/, '')}`;
    })
    .sort();
}

describe('rpm cataloger agrees with rpm -qa', () => {
  const ours = (file: string) =>
    catalogFiles({ 'var/lib/rpm/Packages': readFileSync(file) }, [rpm])
      .map((p) => `${p.name} ${p.version} ${/arch=([^&]+)/.exec(p.purl)?.[1]} ${p.sourceName}`)
      .sort();

  it('SQLite (CBL-Mariner 2.0, 129 packages)', () => {
    const file = corpusPath(...IMAGES, 'go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite');
    const want = rpmQa(file, 'sqlite');
    expect(want).toHaveLength(129);
    expect(ours(file)).toEqual(want);
  });

  it.each([
    'go-rpmdb/pkg/testdata/libuuid/Packages',
    'syft/syft/pkg/cataloger/redhat/testdata/Packages',
    'grype/test/integration/testdata/image-centos-match-coverage/var/lib/rpm/Packages',
    'grype/test/integration/testdata/image-sles-match-coverage/var/lib/rpm/Packages',
    'osv-scalibr/extractor/filesystem/os/rpm/testdata/Packages_epoch',
  ])('Berkeley DB %s', (path) => {
    const file = corpusPath(...IMAGES, path);
    expect(ours(file)).toEqual(rpmQa(file, 'bdb_ro'));
  });

  it('NDB (SLE BCI 15): every slot is a package, with its epoch/version/release and source', () => {
    const file = corpusPath(...IMAGES, 'go-rpmdb/pkg/testdata/sle15-bci/Packages.db');
    const blobs = readNdb(readFileSync(file));
    const got = catalogFiles(
      {
        'usr/lib/sysimage/rpm/Packages.db': readFileSync(file),
        'etc/os-release': 'ID="sles"\nVERSION_ID="15.3"\n',
      },
      [rpm],
    );
    expect(got).toHaveLength(blobs.length);
    expect(got.length).toBeGreaterThan(30);
    expect(got.find((p) => p.name === 'filesystem')?.version).toBe('15.0-11.3.2');
    for (const p of got) expect(p.purl).toMatch(/^pkg:rpm\/suse\/[^@]+@[^?]+\?arch=[^&]+&distro=sles-15.3/);
  });
});

describe('apk cataloger', () => {
  it.each([
    ['trivy/alpine-310/lib/apk/db/installed', 14],
    ['trivy/alpine-311/lib/apk/db/installed', 14],
    ['trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk', 15],
  ] as const)('%s has %i installed packages, each with origin', (path, count) => {
    const text = readFileSync(corpusPath(...IMAGES, path), 'utf8');
    const got = catalogFiles({ 'lib/apk/db/installed': text }, [apk]);
    expect(got).toHaveLength(count);
    // independent reading: every P: line that has a V: in its stanza
    const stanzas = text.split(/\n\n/).filter((s) => /^P:/m.test(s) && /^V:/m.test(s));
    expect(got.map((p) => p.name).sort()).toEqual(stanzas.map((s) => /^P:(.*)$/m.exec(s)![1]).sort());
    for (const p of got) expect(p.sourceName).toBeTruthy();
  });

  it('uses the origin as source (libssl1.1 comes from openssl)', () => {
    const got = catalogFiles(
      {
        'lib/apk/db/installed': readFileSync(corpusPath(...IMAGES, 'trivy/alpine-310/lib/apk/db/installed')),
      },
      [apk],
    );
    expect(got.find((p) => p.name === 'libssl1.1')).toMatchObject({
      sourceName: 'openssl',
      version: '1.1.1d-r2',
    });
    expect(got[0]!.purl).toMatch(/^pkg:apk\/alpine\//);
  });
});
