import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VulnerabilityFinding } from '../core/results.js';
import { writeOciLayout } from '../image/test-support/oci.js';
import { tarOf } from '../image/test-support/tar.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { writeRecords } from '../vulndb/store.js';
import { baseImage, baseImageLine } from './base-image.js';
import { saveImageScan } from './persist.js';
import { scanImage } from './scan-image.js';
import { fixedBelow, record } from './test-support.js';

const finding = (name: string, type: string, layer?: string) =>
  ({
    id: `CVE-${name}`,
    package: { name, version: '1', type },
    ...(layer ? { layer } : {}),
  }) as VulnerabilityFinding;

describe('baseImage', () => {
  const os = { family: 'debian', version: '12', codename: 'bookworm' };
  const findings = [
    finding('openssl', 'deb', 'sha256:base'),
    finding('zlib1g', 'deb', 'sha256:base'),
    finding('curl', 'deb', 'sha256:app'),
    // a language package is no OS finding, whichever layer brought it
    finding('lodash', 'npm', 'sha256:base'),
  ];

  it('splits the OS findings between the base layers and the image own', () => {
    const b = baseImage({ os, base: { layers: ['sha256:base'] } }, findings);
    expect(b).toEqual({
      os: 'debian 12 (bookworm)',
      layers: 1,
      source: 'history',
      findings: { base: 2, added: 1 },
    });
    expect(baseImageLine(b!)).toBe(
      "base image (debian 12 (bookworm), 1 layer, from history): 2 OS findings from its layers, 1 from the image's own",
    );
  });

  it('names the base from its labels; without base layers there is no split', () => {
    const b = baseImage({ os, base: { name: 'debian:12.7', digest: 'sha256:aa', layers: [] } }, findings);
    expect(b).toEqual({
      name: 'debian:12.7',
      digest: 'sha256:aa',
      os: 'debian 12 (bookworm)',
      layers: 0,
      source: 'label',
    });
    expect(baseImageLine(b!)).toBe('base image debian:12.7 (debian 12 (bookworm), 0 layers, from label)');
  });

  it('nothing when the image tells nothing of its base', () => {
    expect(baseImage({ os }, findings)).toBeUndefined();
  });
});

describe('scanImage: baseImage of an OCI image', () => {
  let database: TestDatabase;
  let store: Store;
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-base-image-'));
  const layout = join(dir, 'oci');
  let layers: Buffer[];
  const diffId = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    store = await database.open();
    await writeRecords(
      store.db,
      [
        record('alpine-secdb', 'CVE-2025-0001', {
          namespace: 'apk/alpine/3.20',
          package: 'musl',
          ranges: fixedBelow('1.2.5-r1'),
        }),
        record('alpine-secdb', 'CVE-2025-0002', {
          namespace: 'apk/alpine/3.20',
          package: 'busybox',
          ranges: fixedBelow('1.36.1-r30'),
        }),
        record('alpine-secdb', 'CVE-2025-0003', {
          namespace: 'apk/alpine/3.20',
          package: 'busybox',
          ranges: fixedBelow('1.36.1-r30'),
        }),
      ],
      'test',
    );
    const musl = 'P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\n';
    const busybox = 'P:busybox\nV:1.36.1-r29\nA:x86_64\no:busybox\n\n';
    layers = [
      await tarOf([
        { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' },
        { name: 'lib/apk/db/installed', content: musl },
      ]),
      await tarOf([{ name: 'lib/apk/db/installed', content: musl + busybox }]),
    ];
    writeOciLayout(layout, [
      {
        platform: { os: 'linux', architecture: 'amd64' },
        layers,
        config: {
          config: { Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20.0' } },
          history: [
            { created_by: 'ADD alpine-minirootfs-3.20.0-x86_64.tar.gz / # buildkit' },
            { created_by: 'CMD ["/bin/sh"]', empty_layer: true },
            { created_by: 'RUN /bin/sh -c apk add busybox # buildkit' },
            { created_by: 'CMD ["/bin/busybox"]', empty_layer: true },
          ],
        },
      },
    ]);
  });

  afterAll(async () => {
    await store.close();
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the base from the label, counts its layers from the history, and splits the findings', async () => {
    const out = await scanImage(store, { target: `oci:${layout}`, store: false });
    // the second layer rewrote the package database: musl is still the base's, busybox the image's own
    expect(out.input.packages.map((p) => [p.name, p.layer])).toEqual([
      ['busybox', diffId(layers[1]!)],
      ['musl', diffId(layers[0]!)],
    ]);
    expect(out.input.base).toEqual({ name: 'docker.io/library/alpine:3.20.0', layers: [diffId(layers[0]!)] });
    expect(out.document.baseImage).toEqual({
      name: 'docker.io/library/alpine:3.20.0',
      os: 'alpine 3.20',
      layers: 1,
      source: 'label',
      findings: { base: 1, added: 2 },
    });
    expect(out.report.table?.().footer).toContain(
      "base image docker.io/library/alpine:3.20.0 (alpine 3.20, 1 layer, from label): 1 OS finding from its layers, 2 from the image's own",
    );
  });

  it('advises a later base the store holds with fewer OS findings', async () => {
    // an image built on alpine 3.20.3, stored earlier: no OS finding came with its base
    await saveImageScan(
      store.db,
      {
        target: 'docker://registry.example/other:1',
        digest: 'sha256:other',
        packages: [],
        base: { name: 'docker.io/library/alpine:3.20.3', layers: ['sha256:b'] },
      },
      {
        target: 'docker://registry.example/other:1',
        artifact: {},
        healthy: true,
        summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
        vulnerabilities: [],
        fixUnits: [],
        suppressed: [],
        expiredExceptions: [],
        packages: 0,
      },
    );
    const out = await scanImage(store, { target: `oci:${layout}` });
    expect(out.document.baseImage?.advice).toEqual({
      name: 'docker.io/library/alpine:3.20.3',
      findings: 0,
      change: -1,
    });
    expect(out.report.table?.().footer).toContain(
      "base image docker.io/library/alpine:3.20.0 (alpine 3.20, 1 layer, from label): 1 OS finding from its layers, 2 from the image's own; rebuild on docker.io/library/alpine:3.20.3: −1 finding",
    );
  });
});
