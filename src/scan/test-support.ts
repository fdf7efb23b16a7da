import type { Package } from '../sbom/types.js';
import type { AdvisoryRecord, AffectedPackage, SeverityEntry } from '../vulndb/index.js';

/** A small advisory record for tests. */
export function record(
  source: string,
  id: string,
  affected: Partial<AffectedPackage> & Pick<AffectedPackage, 'namespace' | 'package'>,
  extra: Partial<AdvisoryRecord> = {},
): AdvisoryRecord {
  return {
    source,
    format: 'test',
    id,
    aliases: [],
    title: `${id} title`,
    severity: [],
    references: [],
    published: null,
    modified: null,
    withdrawn: null,
    ...extra,
    affected: [
      {
        state: 'fixed',
        ranges: [],
        versions: [],
        fixedVersion: null,
        severity: [],
        ...affected,
      },
    ],
  };
}

export const vendor = (
  source: string,
  value: string,
  severity: SeverityEntry['severity'],
): SeverityEntry => ({
  source,
  type: 'vendor',
  value,
  severity,
});

export const fixedBelow = (fixed: string) => [
  { type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed }] },
];

export function deb(name: string, version: string, sourceName?: string, sourceVersion?: string): Package {
  return {
    name,
    version,
    type: 'deb',
    purl: `pkg:deb/debian/${name}@${version}?distro=debian-10.1`,
    ...(sourceName ? { sourceName } : {}),
    ...(sourceVersion ? { sourceVersion } : {}),
    layer: 'sha256:base',
  };
}

export function npmPkg(
  name: string,
  version: string,
  path = `/app/node_modules/${name}/package.json`,
): Package {
  return { name, version, type: 'npm', purl: `pkg:npm/${name}@${version}`, path };
}
