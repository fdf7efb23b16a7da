import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { catalogImage } from '../sbom/catalog.js';
import { parseTarget } from './reference.js';
import { writeOciLayout } from './test-support/oci.js';
import { tarOf } from './test-support/tar.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-transports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('target references', () => {
  it.each([
    [
      'alpine',
      { transport: 'docker', registry: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' },
    ],
    [
      'docker://127.0.0.1:5000/a/b:1.2',
      { transport: 'docker', registry: '127.0.0.1:5000', repository: 'a/b', tag: '1.2' },
    ],
    [
      'ghcr.io/org/img@sha256:' + 'a'.repeat(64),
      { transport: 'docker', registry: 'ghcr.io', repository: 'org/img', digest: `sha256:${'a'.repeat(64)}` },
    ],
    ['localhost/x', { transport: 'docker', registry: 'localhost', repository: 'x', tag: 'latest' }],
    ['docker-daemon:bulkhead-test/x:1', { transport: 'docker-daemon', name: 'bulkhead-test/x:1' }],
    ['dir:/rootfs', { transport: 'dir', path: '/rootfs' }],
    ['oci-archive:/nope/img.tar:v2', { transport: 'oci-archive', path: '/nope/img.tar:v2' }],
  ])('%s', (text, want) => expect(parseTarget(text)).toEqual(want));

  it('sniffs paths: a file is an archive, a layout dir is oci:, any other dir is a rootfs', () => {
    const file = join(root, 'x.tar');
    writeFileSync(file, '');
    const layout = join(root, 'layout');
    mkdirSync(layout);
    writeFileSync(join(layout, 'index.json'), '{}');
    expect(parseTarget(file)).toEqual({ transport: 'docker-archive', path: file });
    expect(parseTarget(layout)).toEqual({ transport: 'oci', path: layout });
    expect(parseTarget(root)).toEqual({ transport: 'dir', path: root });
    expect(parseTarget(`oci:${layout}:v1`)).toEqual({ transport: 'oci', path: layout, ref: 'v1' });
  });

  it('bad references are user errors', () => {
    expect(() => parseTarget('docker://Upper/Case')).toThrow(UserInputError);
    expect(() => parseTarget('docker://host/x@sha256:!!')).toThrow(UserInputError);
  });
});

describe('archives and layouts', () => {
  let layout: string;
  beforeAll(async () => {
    layout = join(root, 'img');
    writeOciLayout(
      layout,
      [
        {
          platform: { os: 'linux', architecture: 'amd64' },
          layers: [
            await tarOf([
              { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.18.4\n' },
              { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' },
            ]),
            await tarOf([
              {
                name: 'app/node_modules/left-pad/package.json',
                content: '{"name":"left-pad","version":"1.3.0"}',
              },
            ]),
          ],
        },
      ],
      'v1',
    );
  });
  const purls = (r: Awaited<ReturnType<typeof catalogImage>>) => r.packages.map((p) => p.purl);
  const want = ['pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.18.4', 'pkg:npm/left-pad@1.3.0'];

  it('oci: layout, oci-archive (plain and gzip), docker-archive written by skopeo', async () => {
    expect(purls(await catalogImage(`oci:${layout}:v1`))).toEqual(want);
    const archive = join(root, 'img.oci.tar');
    execFileSync('tar', ['-C', layout, '-cf', archive, '.']);
    expect(purls(await catalogImage(`oci-archive:${archive}`))).toEqual(want);
    execFileSync('sh', ['-c', `gzip -c "$1" > "$1.gz"`, 'sh', archive]);
    expect(purls(await catalogImage(`oci-archive:${archive}.gz`))).toEqual(want);
    const docker = join(root, 'img.docker.tar');
    execFileSync('skopeo', [
      'copy',
      '-q',
      `oci:${layout}:v1`,
      `docker-archive:${docker}:bulkhead-test/img:v1`,
    ]);
    const r = await catalogImage(docker);
    expect(purls(r)).toEqual(want);
    expect(r.artifact.repoTags).toEqual(['docker.io/bulkhead-test/img:v1']);
    // layer attribution: the npm package came from the second layer
    expect(r.packages[1]!.layer).toBe(r.artifact.layers![1]);
    // no temp files left behind
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('bulkhead-archive-'))).toEqual([]);
  });

  it('docker-archive in the OCI style of Docker 25+ (index.json plus manifest.json naming blobs)', async () => {
    const dir = join(root, 'docker25');
    execFileSync('cp', ['-a', layout, dir]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    const manifest = JSON.parse(
      readFileSync(join(dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'),
    );
    const blob = (d: string) => `blobs/sha256/${d.slice(7)}`;
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify([
        {
          Config: blob(manifest.config.digest),
          RepoTags: ['bulkhead-test/img:v25'],
          Layers: manifest.layers.map((l: { digest: string }) => blob(l.digest)),
        },
      ]),
    );
    const archive = join(root, 'docker25.tar');
    execFileSync('tar', ['-C', dir, '-cf', archive, '.']);
    const r = await catalogImage(`docker-archive:${archive}`);
    expect(purls(r)).toEqual(want);
    expect(r.artifact.repoTags).toEqual(['bulkhead-test/img:v25']);
    expect(r.artifact.digest).toBe(manifest.config.digest);
  });

  it('dir: a root file system on disk; symlinks pointing outside are not followed', async () => {
    const rootfs = join(root, 'rootfs');
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    mkdirSync(join(rootfs, 'lib/apk/db'), { recursive: true });
    writeFileSync(join(root, 'outside-installed'), 'P:evil\nV:6.6.6\n\n');
    symlinkSync(join(root, 'outside-installed'), join(rootfs, 'lib/apk/db/installed'));
    writeFileSync(join(rootfs, 'etc/os-release'), 'ID=alpine\nVERSION_ID=3.18.4\n');
    const r = await catalogImage(`dir:${rootfs}`);
    expect(r.packages).toEqual([]);
    expect(r.artifact.os).toMatchObject({ family: 'alpine', version: '3.18' });
  });

  it('hostile or broken archives are clear user errors', async () => {
    const notTar = join(root, 'not.tar');
    writeFileSync(notTar, 'hello, this is not a tar file'.repeat(40));
    await expect(catalogImage(`docker-archive:${notTar}`)).rejects.toThrow(/not a tar archive/);
    const evil = join(root, 'evil');
    mkdirSync(evil);
    writeFileSync(
      join(evil, 'manifest.json'),
      JSON.stringify([{ Config: '../../../etc/passwd', Layers: ['../../x/layer.tar'] }]),
    );
    const evilTar = join(root, 'evil.tar');
    execFileSync('tar', ['-C', evil, '-cf', evilTar, 'manifest.json']);
    await expect(catalogImage(`docker-archive:${evilTar}`)).rejects.toThrow(/archive has no/);
    const evilLayout = join(root, 'evil-layout');
    mkdirSync(evilLayout);
    writeFileSync(
      join(evilLayout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:../../../../etc/passwd', size: 1 }] }),
    );
    await expect(catalogImage(`oci:${evilLayout}`)).rejects.toThrow(UserInputError);
    const truncated = join(root, 'trunc.tar');
    execFileSync('sh', ['-c', `head -c 1500 "$1" > "$2"`, 'sh', join(root, 'img.oci.tar'), truncated]);
    await expect(catalogImage(`oci-archive:${truncated}`)).rejects.toThrow(UserInputError);
    await expect(catalogImage(`oci:${layout}:nope`)).rejects.toThrow(/no image named nope/);
  });
});
