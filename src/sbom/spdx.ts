import { randomUUID } from 'node:crypto';
import { TOOL } from '../core/version.js';
import type { CatalogResult } from './catalog.js';

const SIMPLE_EXPRESSION = /^[A-Za-z0-9.+-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+-]+)*$/;

/** SPDX 2.3 JSON: the image package DESCRIBED by the document, CONTAINS every package found. */
export function toSpdx(result: CatalogResult, now = new Date()): object {
  const { artifact } = result;
  const name = artifact.repoTags?.[0] ?? artifact.name;
  const packages: object[] = [
    {
      SPDXID: 'SPDXRef-Image',
      name,
      ...(artifact.digest ? { versionInfo: artifact.digest } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'CONTAINER',
    },
  ];
  const relationships: object[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' },
  ];
  if (artifact.os) {
    packages.push({
      SPDXID: 'SPDXRef-OperatingSystem',
      name: artifact.os.family,
      versionInfo: artifact.os.fullVersion ?? artifact.os.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    });
    relationships.push({
      spdxElementId: 'SPDXRef-Image',
      relationshipType: 'CONTAINS',
      relatedSpdxElement: 'SPDXRef-OperatingSystem',
    });
  }
  result.packages.forEach((p, i) => {
    const id = `SPDXRef-Package-${i + 1}`;
    const license =
      p.licenses?.length === 1 && SIMPLE_EXPRESSION.test(p.licenses[0]!) ? p.licenses[0]! : 'NOASSERTION';
    packages.push({
      SPDXID: id,
      name: p.name,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: license,
      ...(p.sourceName ? { sourceInfo: `built from ${p.sourceName} ${p.sourceVersion ?? ''}`.trim() } : {}),
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl },
      ],
      ...(p.path || p.layer
        ? {
            comment: [p.path && `path: ${p.path}`, p.layer && `layer: ${p.layer}`].filter(Boolean).join('; '),
          }
        : {}),
    });
    relationships.push({
      spdxElementId: 'SPDXRef-Image',
      relationshipType: 'CONTAINS',
      relatedSpdxElement: id,
    });
  });
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://spdx.org/spdxdocs/${TOOL.name}-${encodeURIComponent(name)}-${randomUUID()}`,
    creationInfo: {
      created: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${TOOL.name}-${TOOL.version}`],
    },
    packages,
    relationships,
  };
}
