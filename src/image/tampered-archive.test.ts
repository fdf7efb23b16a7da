import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { catalogImage } from '../sbom/catalog.js';
import { writeOciLayout } from './test-support/oci.js';
import { tarOf } from './test-support/tar.js';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-tampered-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A layout whose one layer blob no longer matches its digest (same length, other bytes). */
async function tamperedLayout(dir: string): Promise<void> {
  writeOciLayout(dir, [
    {
      platform: { os: 'linux', architecture: 'amd64' },
      layers: [await tarOf([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.18.4\n' }])],
    },
  ]);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  const manifest = JSON.parse(
    readFileSync(join(dir, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'),
  );
  const layer = join(dir, 'blobs/sha256', manifest.layers[0].digest.slice(7));
  const other = gzipSync(await tarOf([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }]));
  writeFileSync(layer, other);
  // docker-archive view of the same blobs
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify([
      {
        Config: `blobs/sha256/${manifest.config.digest.slice(7)}`,
        RepoTags: ['bulkhead-test/tampered:1'],
        Layers: [`blobs/sha256/${manifest.layers[0].digest.slice(7)}`],
      },
    ]),
  );
}

describe('a layer that does not match its digest', () => {
  it.each(['oci-archive', 'docker-archive'])('%s: one user error naming the archive', async (transport) => {
    const dir = join(root, transport);
    await tamperedLayout(dir);
    const archive = join(root, `${transport}.tar`);
    execFileSync('tar', ['-C', dir, '-cf', archive, '.']);
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('bulkhead-archive-'));
    const error = await catalogImage(`${transport}:${archive}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toContain(archive);
    expect((error as Error).message).toMatch(/digest mismatch/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('bulkhead-archive-'))).toEqual(before);
  });
});
