import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { osNamespace } from '../scan/namespace.js';
import { detectOs, releaseOf } from './os.js';
import { parseTxtar, viewOf } from './test-support/view.js';

function etcView(dir: string) {
  const files: Record<string, Buffer> = {};
  for (const name of ['os-release', 'lsb-release', 'alpine-release', 'debian_version', 'redhat-release']) {
    const p = join(dir, 'etc', name);
    if (existsSync(p)) files[`etc/${name}`] = readFileSync(p);
  }
  return viewOf(files);
}

describe('OS detection against claircore expectations', () => {
  const alpine = corpusPath('images/claircore/alpine/testdata');
  it.each(readdirSync(alpine))('alpine %s', (release) => {
    const want = JSON.parse(readFileSync(join(alpine, release, 'want'), 'utf8'))[0];
    expect(detectOs(etcView(join(alpine, release)))).toMatchObject({
      family: 'alpine',
      version: want.version,
    });
  });

  const debian = corpusPath('images/claircore/debian/testdata');
  it.each(
    ['dist', 'distroless_dist'].flatMap((kind) =>
      readdirSync(join(debian, kind)).map((v) => [kind, v] as const),
    ),
  )('debian %s %s', (kind, version) => {
    expect(detectOs(etcView(join(debian, kind, version)))).toMatchObject({ family: 'debian', version });
  });

  const ubuntu = corpusPath('images/claircore/ubuntu/testdata/dist');
  it.each(readdirSync(ubuntu))('ubuntu dist %s', (dir) => {
    const os = detectOs(etcView(join(ubuntu, dir)));
    const osRelease = join(ubuntu, dir, 'etc/os-release');
    const id = existsSync(osRelease)
      ? (/^ID=(\w+)/m.exec(readFileSync(osRelease, 'utf8'))?.[1] ?? 'ubuntu')
      : 'ubuntu';
    expect(os?.family).toBe(id);
    if (id === 'ubuntu') expect(os?.version).toBe(dir);
  });
});

describe('OS detection of Trivy os-release cases', () => {
  const dir = corpusPath('images/trivy/pkg/fanal/analyzer/os/release/testdata');
  const cases: Record<string, [string, string] | undefined> = {
    alma: ['alma', '9'],
    alpine: ['alpine', '3.15'],
    'azurelinux-3.0': ['azurelinux', '3.0'],
    centos: ['centos', '7'],
    fedora: ['fedora', '42'],
    'mariner-1.0': ['cbl-mariner', '1.0'],
    'mariner-2.0': ['cbl-mariner', '2.0'],
    'opensuseleap-15.2.1': ['opensuse-leap', '15.2.1'],
    opensusetumbleweed: ['opensuse-tumbleweed', '20220412'],
    oracle: ['oracle', '8'],
    photon: ['photon', '4.0'],
    rhel: ['redhat', '9'],
    rocky: ['rocky', '9'],
    sles: ['sles', '15.3'],
    slemicro: ['slem', '5.3'],
    'slemicro-rancher': ['slem', '5.4'],
    echo: ['echo', '1'],
    unknown: undefined,
    'no-id': undefined,
  };
  it.each(Object.entries(cases))('%s', (name, want) => {
    const os = detectOs(viewOf({ 'etc/os-release': readFileSync(join(dir, name)) }));
    if (want === undefined) expect(os).toBeUndefined();
    else expect(os).toMatchObject({ family: want[0], version: want[1] });
  });
});

describe('point releases map to the release advisories use', () => {
  it.each([
    ['debian', '10.1', '10'],
    ['alpine', '3.10.2', '3.10'],
    ['centos', '7.6.1810', '7'],
    ['ubuntu', '18.04', '18.04'],
    ['ubuntu', '22.04.2', '22.04'],
    ['amazon', '2 (Karoo)', '2'],
    ['amazon', '2023', '2023'],
    ['amazon', '2018.03', '1'],
  ])('%s %s → %s', (family, full, release) => expect(releaseOf(family, full)).toBe(release));

  it('debian_version carries the point release; os-release symlinked to /usr/lib works', () => {
    const view = viewOf({
      'usr/lib/os-release': 'ID=debian\nVERSION_ID="10"\nVERSION_CODENAME=buster\n',
      'etc/debian_version': '10.1\n',
    });
    view.set('etc/os-release', {
      kind: 'symlink',
      layer: 0,
      size: 0,
      mode: 0o777,
      target: '../usr/lib/os-release',
    });
    expect(detectOs(view)).toEqual({
      family: 'debian',
      version: '10',
      codename: 'buster',
      fullVersion: '10.1',
    });
  });

  it('CentOS 7 from redhat-release', () => {
    const view = viewOf({
      'etc/redhat-release': 'CentOS Linux release 7.6.1810 (Core)\n',
      'etc/os-release': 'ID="centos"\nVERSION_ID="7"\n',
    });
    expect(detectOs(view)).toMatchObject({ family: 'centos', version: '7', fullVersion: '7.6.1810' });
  });
});

/** os-release as each distribution publishes it (the fields detection reads, verbatim from the images). */
const PUBLISHED_OS_RELEASE: Record<string, string> = {
  'Amazon Linux AMI 2018.03':
    'NAME="Amazon Linux AMI"\nVERSION="2018.03"\nID="amzn"\nID_LIKE="rhel fedora"\nVERSION_ID="2018.03"\nPRETTY_NAME="Amazon Linux AMI 2018.03"\nCPE_NAME="cpe:/o:amazon:linux:2018.03:ga"\n',
  'Amazon Linux 2':
    'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nID_LIKE="centos rhel fedora"\nVERSION_ID="2"\nPRETTY_NAME="Amazon Linux 2"\nCPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"\n',
  'Amazon Linux 2023':
    'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nID_LIKE="fedora"\nVERSION_ID="2023"\nPLATFORM_ID="platform:al2023"\nPRETTY_NAME="Amazon Linux 2023.6.20241212"\nCPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"\n',
  'SLES 15 SP5':
    'NAME="SLES"\nVERSION="15-SP5"\nVERSION_ID="15.5"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"\nID="sles"\nID_LIKE="suse"\nCPE_NAME="cpe:/o:suse:sles:15:sp5"\n',
  'openSUSE Leap 15.5':
    'NAME="openSUSE Leap"\nVERSION="15.5"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\nVERSION_ID="15.5"\nPRETTY_NAME="openSUSE Leap 15.5"\nCPE_NAME="cpe:/o:opensuse:leap:15.5"\n',
  'Oracle Linux 9.3':
    'NAME="Oracle Linux Server"\nVERSION="9.3"\nID="ol"\nID_LIKE="fedora"\nVARIANT="Server"\nVERSION_ID="9.3"\nPLATFORM_ID="platform:el9"\nPRETTY_NAME="Oracle Linux Server 9.3"\nCPE_NAME="cpe:/o:oracle:linux:9:3:server"\n',
  'CBL-Mariner 2.0':
    'NAME="Common Base Linux Mariner"\nVERSION="2.0.20240123"\nID=mariner\nVERSION_ID="2.0"\nPRETTY_NAME="CBL-Mariner/Linux"\n',
  'Azure Linux 3.0':
    'NAME="Microsoft Azure Linux"\nVERSION="3.0.20240727"\nID=azurelinux\nVERSION_ID="3.0"\nPRETTY_NAME="Microsoft Azure Linux 3.0"\n',
  'Photon OS 5.0':
    'NAME="VMware Photon OS"\nVERSION="5.0"\nID=photon\nVERSION_ID=5.0\nPRETTY_NAME="VMware Photon OS/Linux"\n',
};

describe('OS detection leads each distribution to the namespace its advisory feed fills', () => {
  it.each([
    ['Amazon Linux AMI 2018.03', 'rpm/amazon/1'],
    ['Amazon Linux 2', 'rpm/amazon/2'],
    ['Amazon Linux 2023', 'rpm/amazon/2023'],
    ['SLES 15 SP5', 'rpm/suse/15.5'],
    ['openSUSE Leap 15.5', 'rpm/opensuse-leap/15.5'],
    ['Oracle Linux 9.3', 'rpm/oracle/9'],
    ['CBL-Mariner 2.0', 'rpm/mariner/2.0'],
    ['Azure Linux 3.0', 'rpm/azurelinux/3.0'],
    ['Photon OS 5.0', 'rpm/photon/5.0'],
  ])('%s → %s', (name, namespace) => {
    const os = detectOs(viewOf({ 'etc/os-release': PUBLISHED_OS_RELEASE[name]! }));
    expect(osNamespace(os)).toBe(namespace);
  });
});

describe("each distribution's published release files", () => {
  const dir = new URL('./__fixtures__/os-release/', import.meta.url);
  const images: Record<string, { family: string; version: string; namespace: string }> = {
    'ubuntu_22.04': { family: 'ubuntu', version: '22.04', namespace: 'deb/ubuntu/22.04' },
    'ubuntu_24.04': { family: 'ubuntu', version: '24.04', namespace: 'deb/ubuntu/24.04' },
    'rhel_9.4': { family: 'redhat', version: '9', namespace: 'rpm/redhat/9' },
    // UBI is RHEL: Red Hat's advisories apply
    'ubi8_8.10': { family: 'redhat', version: '8', namespace: 'rpm/redhat/8' },
    // CentOS Stream builds the next RHEL minor release: matched with RHEL's advisories of its major
    'centos-stream_9': { family: 'centos', version: '9', namespace: 'rpm/redhat/9' },
    'almalinux_9.4': { family: 'alma', version: '9', namespace: 'rpm/almalinux/9' },
    'rockylinux_9.3': { family: 'rocky', version: '9', namespace: 'rpm/rocky/9' },
    fedora_40: { family: 'fedora', version: '40', namespace: 'rpm/fedora/40' },
  };
  it('has a case for every fixture', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.txtar'));
    expect(files.map((f) => f.replace(/\.txtar$/, '')).sort()).toEqual(Object.keys(images).sort());
  });
  it.each(Object.entries(images))('%s', (image, want) => {
    const files = parseTxtar(readFileSync(new URL(`${image}.txtar`, dir), 'utf8'));
    const os = detectOs(viewOf(files));
    expect(os).toMatchObject({ family: want.family, version: want.version });
    expect(osNamespace(os)).toBe(want.namespace);
  });
});
