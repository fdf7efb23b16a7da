import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { loadRecords } from '../test-support/load.js';
import { compareWithSnapshots } from '../test-support/vunnel-snapshots.js';
import { readAmazonAlas, splitNevra } from './amazon-alas.js';

const fixtures = corpusPath(
  'vulndb',
  'amazon',
  'vunnel',
  'tests',
  'unit',
  'providers',
  'amazon',
  'test-fixtures',
);

describe('Amazon Linux ALAS', () => {
  it("agrees with vunnel's snapshots of the same feeds and pages (namespace, package, fixed version, severity)", () => {
    const result = compareWithSnapshots(
      readAmazonAlas([join(fixtures, 'input')]),
      join(fixtures, 'snapshots'),
    );
    expect(result.checks).toBeGreaterThan(0);
    expect(result.agreed / result.checks, result.disagreements.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('a page alone gives the advisory with its release, CVEs and fixes; its feed item only the advisory', () => {
    const page = loadRecords([join(fixtures, 'input', '2023_html', 'ALAS-2023-126')]).records;
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({ id: 'ALAS-2023-126', published: '2023-03-07T00:00:00.000Z' });
    expect(page[0]!.aliases).toEqual(['CVE-2022-3787', 'CVE-2022-41973', 'CVE-2022-41974']);
    expect(page[0]!.affected.every((a) => a.namespace === 'rpm/amazon/2023')).toBe(true);
    const feed = loadRecords([join(fixtures, 'input', '2023_rss.xml')]).records;
    expect(feed.map((r) => [r.id, r.severity[0]?.severity, r.affected.length])).toEqual([
      ['ALAS-2023-126', 'HIGH', 0],
    ]);
  });

  it('splits NEVRAs whose names hold dashes and arches', () => {
    expect(splitNevra('kernel-debuginfo-common-x86_64-4.9.76-38.79.amzn2.x86_64')).toEqual({
      name: 'kernel-debuginfo-common-x86_64',
      version: '4.9.76-38.79.amzn2',
    });
    expect(splitNevra('1:java-1.8.0-openjdk-1.8.0.161-0.b14.amzn2.noarch')).toEqual({
      name: 'java-1.8.0-openjdk',
      version: '1:1.8.0.161-0.b14.amzn2',
    });
  });
});
