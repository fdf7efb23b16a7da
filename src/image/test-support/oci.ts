import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ImageConfig, Platform } from '../types.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface TestImage {
  platform: Platform;
  /** Uncompressed layer tars; stored gzip-compressed. */
  layers: Buffer[];
  /** More of the image config: labels, history. */
  config?: Pick<ImageConfig, 'config' | 'history'>;
}

function putBlob(dir: string, data: Buffer): { digest: string; size: number } {
  const digest = sha(data);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

/**
 * Write an OCI image layout holding one image, or a multi-platform index of several, under `tag`.
 * Returns the digests of the top-level manifest or index.
 */
export function writeOciLayout(dir: string, images: TestImage[], tag = 'latest'): { digest: string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests = images.map((img) => {
    const layers = img.layers.map((l) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      ...putBlob(dir, gzipSync(l)),
    }));
    const config = Buffer.from(
      JSON.stringify({
        architecture: img.platform.architecture,
        os: img.platform.os,
        ...(img.platform.variant ? { variant: img.platform.variant } : {}),
        rootfs: { type: 'layers', diff_ids: img.layers.map(sha) },
        config: {},
        ...img.config,
      }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...putBlob(dir, config) },
        layers,
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...putBlob(dir, manifest),
      platform: img.platform,
    };
  });
  let top = manifests[0]!;
  if (manifests.length > 1) {
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
    );
    top = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      ...putBlob(dir, index),
      platform: images[0]!.platform,
    };
  }
  const { platform: _p, ...entry } = top;
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...entry, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
  return { digest: top.digest };
}
