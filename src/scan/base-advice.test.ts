import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VulnerabilityFinding } from '../core/results.js';
import { emptySeverityCounts } from '../core/severity.js';
import type { Store } from '../store/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { baseAdvice, laterTag } from './base-advice.js';
import { baseImageLine } from './base-image.js';
import { saveImageScan } from './persist.js';
import type { ScanInput, ScanResult } from './types.js';

const finding = (n: number, type: string, layer: string) =>
  ({
    id: `CVE-2025-${1000 + n}`,
    aliases: [],
    package: { name: `p${n}`, version: '1', type, purl: `pkg:${type}/debian/p${n}@1` },
    fixedVersion: null,
    status: 'affected',
    severity: 'HIGH',
    severitySource: 'debian',
    remediation: 'none',
    dataSource: { id: 'debian', name: 'Debian' },
    layer,
  }) as unknown as VulnerabilityFinding;

/** Store a scan of `target` with `os` OS findings and one npm finding, all in layer `sha256:base`. */
async function stored(db: Store['db'], target: string, os: number, base?: ScanInput['base']) {
  const vulnerabilities = [
    ...Array.from({ length: os }, (_, i) => finding(i, 'deb', 'sha256:base')),
    finding(99, 'npm', 'sha256:base'),
  ];
  const input: ScanInput = {
    target,
    digest: `sha256:${target.replace(/\W/g, '')}`,
    os: { family: 'debian', version: '12' },
    packages: [],
    ...(base ? { base } : {}),
  };
  const result: ScanResult = {
    target,
    artifact: {},
    healthy: false,
    summary: { ...emptySeverityCounts(), HIGH: vulnerabilities.length },
    vulnerabilities,
    fixUnits: [],
    suppressed: [],
    expiredExceptions: [],
    packages: 0,
  };
  await saveImageScan(db, input, result);
}

describe('laterTag', () => {
  it('compares version tags of the same shape and variant only', () => {
    expect(laterTag('12.8', '12.7')).toBe(true);
    expect(laterTag('12.10', '12.9')).toBe(true);
    expect(laterTag('3.20.3-slim', '3.20.2-slim')).toBe(true);
    expect(laterTag('12.7', '12.8')).toBe(false);
    expect(laterTag('12.8', '12.8')).toBe(false);
    expect(laterTag('12.8-slim', '12.7')).toBe(false);
    expect(laterTag('12.8', '12')).toBe(false);
    expect(laterTag('bookworm', '12.7')).toBe(false);
  });
});

describe.each(DIALECTS)('baseAdvice on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    // the base itself, scanned at a later tag: 2 OS findings (the npm one does not count)
    await stored(store.db, 'docker://docker.io/library/debian:12.8', 2);
    // an app built on a later base still: 4 OS findings came with it
    await stored(store.db, 'docker://registry.example/app:2', 4, {
      name: 'docker.io/library/debian:12.9',
      layers: ['sha256:base'],
    });
    // none of these is a later debian 12.x of the same variant
    await stored(store.db, 'docker://docker.io/library/debian:12.6', 0);
    await stored(store.db, 'docker://docker.io/library/debian:12.9-slim', 0);
    await stored(store.db, 'docker://docker.io/library/ubuntu:24.04', 0);
    await stored(store.db, 'oci:/tmp/debian:12.10', 0);
  });

  afterAll(async () => {
    await store.close();
    await database.dispose();
  });

  it('names the later base with the fewest OS findings', async () => {
    const advice = await baseAdvice(store.db, { name: 'debian:12.7' }, 5);
    expect(advice).toEqual({
      name: 'docker.io/library/debian:12.8',
      digest: 'sha256:dockerdockeriolibrarydebian128',
      findings: 2,
      change: -3,
    });
    expect(
      baseImageLine({
        name: 'debian:12.7',
        layers: 1,
        source: 'label',
        findings: { base: 5, added: 0 },
        advice: advice!,
      }),
    ).toBe(
      "base image debian:12.7 (1 layer, from label): 5 OS findings from its layers, 0 from the image's own; rebuild on docker.io/library/debian:12.8: −3 findings",
    );
  });

  it('a later base with more findings than ours is no advice; nor is one without a name', async () => {
    expect(await baseAdvice(store.db, { name: 'docker.io/library/debian:12.7' }, 2)).toBeUndefined();
    expect(await baseAdvice(store.db, { name: 'debian:12.9' }, 9)).toBeUndefined();
    expect(await baseAdvice(store.db, {}, 9)).toBeUndefined();
  });

  it('the same tag rebuilt at another digest counts, as an image built on it stored it', async () => {
    await stored(store.db, 'docker://registry.example/app:3', 1, {
      name: 'docker.io/library/debian:bookworm',
      digest: 'sha256:new',
      layers: ['sha256:base'],
    });
    expect(await baseAdvice(store.db, { name: 'debian:bookworm', digest: 'sha256:old' }, 4)).toEqual({
      name: 'docker.io/library/debian:bookworm',
      digest: 'sha256:new',
      findings: 1,
      change: -3,
    });
    // the same build is no advice
    expect(await baseAdvice(store.db, { name: 'debian:bookworm', digest: 'sha256:new' }, 4)).toBeUndefined();
  });
});
