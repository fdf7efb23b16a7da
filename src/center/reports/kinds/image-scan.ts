import { z } from 'zod';
import { packageLookup } from '../../../core/package-lookup.js';
import { severityRank } from '../../../core/severity.js';
import { type PackageRowInput, replacePackages } from '../../../store/center-packages.js';
import { linkToImage } from '../../../store/center-resources.js';
import { toJsonColumn } from '../../../store/json-column.js';
import {
  digestOf,
  imageKey,
  LOCAL_REGISTRY,
  parseImageName,
  registryKey,
  repositoryKey,
} from '../../inventory/keys.js';
import { findingDisplay } from '../../results/display.js';
import { fileResources, type ResourceSpec, replaceFindings } from '../filing.js';
import { defineKind, invalidReport } from '../kind.js';
import { complete, engine, origin, severity } from './common.js';

const Vulnerability = z.looseObject({
  id: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  package: z.looseObject({ name: z.string(), version: z.string(), type: z.string(), purl: z.string() }),
  fixedVersion: z.string().nullable().optional(),
  status: z.string(),
  severity,
  title: z.string().optional(),
  remediation: z.string().optional(),
});

const ImageScan = z.object({
  kind: z.literal('ImageScan'),
  engine,
  origin,
  complete,
  target: z.string(),
  artifact: z.looseObject({
    digest: z.string().optional(),
    manifestDigest: z.string().optional(),
    repoDigests: z.array(z.string()).optional(),
    repoTags: z.array(z.string()).optional(),
    registry: z.string().optional(),
    repository: z.string().optional(),
  }),
  healthy: z.boolean().nullable(),
  summary: z.record(z.string(), z.number()).optional(),
  vulnerabilities: z.array(Vulnerability),
  /** What the scan looked for; absent in documents from before `--scanners` (they are vulnerability scans). */
  scanners: z.array(z.string()).optional(),
  /** Part of the document; filed as their own results in a later step. */
  secrets: z
    .array(z.looseObject({ rule: z.string(), severity, path: z.string(), match: z.string() }))
    .optional(),
  licenses: z
    .array(z.looseObject({ package: z.string(), license: z.string(), classification: z.string() }))
    .optional(),
  packages: z
    .array(z.looseObject({ name: z.string(), version: z.string(), type: z.string(), purl: z.string() }))
    .optional(),
});
type ImageScan = z.infer<typeof ImageScan>;

/** Transports whose images come from no registry (CONTRACTS.md targets); `docker-daemon:` names a reference. */
const LOCAL_TRANSPORT = /^(docker-archive|oci-archive|oci|dir|sbom):|^[./]/;

/** Where the image lives: registry host and repository path (docs/center.md). */
function location(doc: ImageScan): { registry: string; repository?: string } {
  const a = doc.artifact;
  const names = [...(a.repoDigests ?? []), ...(a.repoTags ?? [])];
  // documents that carry `origin` say where they come from; older ones are read from the names and the target
  const registry =
    doc.origin?.registry ??
    a.registry ??
    (doc.origin ? undefined : derivedRegistry(doc, names)) ??
    LOCAL_REGISTRY;
  if (registry === LOCAL_REGISTRY) return { registry };
  if (a.repository) return { registry, repository: a.repository };
  const fromTarget =
    doc.origin || LOCAL_TRANSPORT.test(doc.target) ? [] : [doc.target.replace(/^docker-daemon:/, '')];
  for (const n of [...names, ...fromTarget]) {
    const parsed = parseImageName(n);
    if (parsed?.registry === registry) return { registry, repository: parsed.repository };
  }
  return { registry };
}

function derivedRegistry(doc: ImageScan, names: string[]): string | undefined {
  if (LOCAL_TRANSPORT.test(doc.target) && names.length === 0) return undefined;
  const reference = names[0] ?? doc.target.replace(/^docker-daemon:/, '');
  return parseImageName(reference)?.registry;
}

function identity(doc: ImageScan): string {
  // a scan without vulnerabilities assessed would close every open finding of the image
  if (doc.scanners && !doc.scanners.includes('vuln'))
    throw invalidReport('scanners', 'the center files vulnerability scans: the scanners must include vuln');
  const digest = doc.artifact.manifestDigest ?? doc.artifact.digest;
  if (!digest) throw invalidReport('artifact.digest', 'an image scan must name the image digest');
  return imageKey(digest);
}

/**
 * The image's package rows: its package list, and the package of every finding the list does not hold (a scan
 * pushed without `packages` still has them), since the findings' package filter goes through these rows.
 */
function packageRows(doc: ImageScan): PackageRowInput[] {
  const rows: PackageRowInput[] = [];
  const listed = new Set<string>();
  const add = (p: { name: string; version: string; type: string; purl: string }) => {
    listed.add(p.purl);
    rows.push({
      name: p.name,
      version: p.version,
      type: p.type,
      purl: p.purl,
      lookup: packageLookup(p.name),
      data: JSON.stringify(p),
    });
  };
  for (const p of doc.packages ?? []) add(p);
  for (const v of doc.vulnerabilities) if (!listed.has(v.package.purl)) add(v.package);
  return rows;
}

export const imageScanKind = defineKind<ImageScan>({
  kind: 'ImageScan',
  schema: ImageScan,
  engine: () => 'image-scan',
  scope: (doc) => {
    identity(doc);
    return registryKey(location(doc).registry);
  },
  apply: async (doc, ctx) => {
    const key = identity(doc);
    const { registry, repository } = location(doc);
    const a = doc.artifact;
    const specs: ResourceSpec[] = [
      { key: registryKey(registry), family: 'registries', type: 'registry', name: registry, parent: null },
    ];
    let parent = registryKey(registry);
    if (repository) {
      const repoKey = repositoryKey(registry, repository);
      specs.push({
        key: repoKey,
        family: 'registries',
        type: 'repository',
        name: `${registry}/${repository}`,
        parent,
      });
      parent = repoKey;
    }
    const refs = [
      a.digest,
      a.manifestDigest,
      ...(a.repoDigests ?? []),
      ...(a.repoDigests ?? []).map(digestOf),
    ].filter((r): r is string => typeof r === 'string');
    specs.push({
      key,
      family: 'registries',
      type: 'image',
      name: a.repoTags?.[0] ?? doc.target,
      parent,
      imageRef: a.digest ?? a.manifestDigest ?? null,
      attributes: {
        target: doc.target,
        ...(a.digest ? { configDigest: a.digest } : {}),
        ...(a.manifestDigest ? { manifestDigest: a.manifestDigest } : {}),
        repoTags: a.repoTags ?? [],
        repoDigests: a.repoDigests ?? [],
        ...(a.os ? { os: a.os } : {}),
        // null: no advisory data for a namespace the image needs, so the scan could not say it is clean
        scanHealthy: doc.healthy,
        ...(doc.summary ? { summary: doc.summary } : {}),
      },
      union: ['repoTags', 'repoDigests'],
      assessed: doc.healthy !== null,
    });
    await fileResources(ctx, specs);
    await replaceFindings(
      ctx,
      [key],
      doc.vulnerabilities.map((v) => {
        const data = JSON.stringify(v);
        return {
          key: `${key}|${v.id}|${v.package.purl}`,
          resourceKey: key,
          outcome: 'open' as const,
          targets: [v.id, ...v.aliases],
          data,
          row: {
            result_key: `${key}|${v.id}|${v.package.purl}`,
            resource_key: key,
            vuln_id: v.id,
            aliases: toJsonColumn(v.aliases),
            package_name: v.package.name,
            package_version: v.package.version,
            package_type: v.package.type,
            purl: v.package.purl,
            severity: v.severity,
            severity_rank: severityRank(v.severity),
            fixed_version: v.fixedVersion ?? null,
            status: v.status,
            data,
            ...findingDisplay(v as unknown as Record<string, unknown>),
          },
        };
      }),
    );
    await replacePackages(ctx.tx, key, packageRows(doc));
    // containers, pods and workloads filed before the image now point at it
    await linkToImage(ctx.tx, key, refs);
  },
});
