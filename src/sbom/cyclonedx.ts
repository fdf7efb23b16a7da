import { randomUUID } from 'node:crypto';
import { TOOL } from '../core/version.js';
import type { CatalogResult } from './catalog.js';

const SPDX_ID = /^[A-Za-z0-9.+-]+$/;

function licenses(list: string[] | undefined) {
  if (!list?.length) return undefined;
  return list.map((l) => (SPDX_ID.test(l) ? { license: { id: l } } : { license: { name: l } }));
}

/** CycloneDX 1.6 JSON: the image as the metadata component, its OS and packages as components. */
export function toCycloneDx(result: CatalogResult, now = new Date()): object {
  const { artifact } = result;
  const root = `image:${artifact.digest ?? artifact.name}`;
  const components: object[] = [];
  const refs: string[] = [];
  if (artifact.os) {
    const ref = `os:${artifact.os.family}@${artifact.os.fullVersion ?? artifact.os.version}`;
    refs.push(ref);
    components.push({
      'bom-ref': ref,
      type: 'operating-system',
      name: artifact.os.family,
      version: artifact.os.fullVersion ?? artifact.os.version,
    });
  }
  result.packages.forEach((p, i) => {
    const ref = `${p.purl}#${i}`;
    refs.push(ref);
    const properties = [
      ...(p.sourceName ? [{ name: 'bulkhead:package:source-name', value: p.sourceName }] : []),
      ...(p.sourceVersion ? [{ name: 'bulkhead:package:source-version', value: p.sourceVersion }] : []),
      ...(p.layer ? [{ name: 'bulkhead:layer:diff-id', value: p.layer }] : []),
      ...(p.path ? [{ name: 'bulkhead:package:path', value: p.path }] : []),
      { name: 'bulkhead:package:type', value: p.type },
    ];
    const lic = licenses(p.licenses);
    components.push({
      'bom-ref': ref,
      type: 'library',
      name: p.name,
      version: p.version,
      purl: p.purl,
      ...(lic ? { licenses: lic } : {}),
      properties,
    });
  });
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
      component: {
        'bom-ref': root,
        type: 'container',
        name: artifact.repoTags?.[0] ?? artifact.name,
        ...(artifact.digest ? { version: artifact.digest } : {}),
      },
    },
    components,
    dependencies: [{ ref: root, dependsOn: refs }],
  };
}
