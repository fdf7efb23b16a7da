import { z } from 'zod';
import { severityRank } from '../../../core/severity.js';
import { containerKey, daemonKey, hostKey } from '../../inventory/keys.js';
import { controlResultDisplay } from '../../results/display.js';
import type { IncomingResult } from '../../results/life.js';
import { fileResources, replaceControlResults, retireAbsent } from '../filing.js';
import { defineKind } from '../kind.js';
import { complete, engine, origin, severity } from './common.js';
import { containerSpec, containersOf, dockerHostName, hostAndDaemon } from './docker-host.js';

const BenchResource = z.looseObject({ type: z.string(), id: z.string(), name: z.string().optional() });

const DockerBenchmark = z.object({
  kind: z.literal('DockerBenchmark'),
  engine,
  origin,
  complete,
  host: z.looseObject({
    hostname: z.string().optional(),
    dockerVersion: z.string().optional(),
    apiVersion: z.string().optional(),
    operatingSystem: z.string().optional(),
    images: z.number().optional(),
    containers: z.number().optional(),
  }),
  results: z.array(
    z.looseObject({
      id: z.string().min(1),
      title: z.string(),
      section: z.string().optional(),
      level: z.number().optional(),
      automated: z.boolean().optional(),
      status: z.string(),
      severity,
      message: z.string().optional(),
      resources: z.array(BenchResource).default([]),
      remediation: z.string().optional(),
    }),
  ),
  assessed: z.array(BenchResource).optional(),
});
type DockerBenchmark = z.infer<typeof DockerBenchmark>;
type BenchResource = z.infer<typeof BenchResource>;

/** Control ids as the center stores them: the benchmark's number under its standard. @example 'CIS-DOCKER-5.4' (the recommendation id too) */
export const dockerControlId = (id: string) => `CIS-DOCKER-${id}`;

/**
 * Where a result about a benchmark resource is filed: files and the host itself belong to the host, the daemon
 * to the daemon, a container to that container. Images, networks and anything else belong to the daemon, with
 * the thing named in `subject` (the daemon is what the benchmark assessed; the image resource may not exist yet).
 */
function placement(hostname: string, r: BenchResource): { key: string; subject: string } {
  switch (r.type) {
    case 'host':
      return { key: hostKey(hostname), subject: r.id === hostname ? '' : `${r.id}` };
    case 'file':
      return { key: hostKey(hostname), subject: `file:${r.id}` };
    case 'daemon':
      return { key: daemonKey(hostname), subject: '' };
    case 'container':
      return { key: containerKey(hostname, r.id), subject: '' };
    default:
      return { key: daemonKey(hostname), subject: `${r.type}:${r.id}` };
  }
}

/**
 * The CIS Docker Benchmark of a host. Only `fail` opens a result (and makes its resource unhealthy); `warn`,
 * `info`, `manual`, `not_applicable` and `error` are kept with state `passed` and their status, for compliance.
 */
export const dockerBenchmarkKind = defineKind<DockerBenchmark>({
  kind: 'DockerBenchmark',
  schema: DockerBenchmark,
  engine: (doc) => doc.engine ?? 'docker-benchmark',
  scope: (doc) => hostKey(dockerHostName(doc)),
  apply: async (doc, ctx) => {
    const hostname = dockerHostName(doc);
    const named = doc.results.flatMap((r) => r.resources);
    // older documents have no `assessed`: the host, its daemon and the containers the results name
    const containers = new Map<string, BenchResource>();
    for (const r of [...(doc.assessed ?? []), ...named]) if (r.type === 'container') containers.set(r.id, r);
    const { hostname: _h, dockerVersion, apiVersion, images, containers: nContainers, ...host } = doc.host;
    await fileResources(ctx, [
      ...hostAndDaemon(
        hostname,
        {
          host,
          daemon: {
            ...(dockerVersion ? { version: dockerVersion } : {}),
            ...(apiVersion ? { apiVersion } : {}),
            ...(images !== undefined ? { imageCount: images } : {}),
            ...(nContainers !== undefined ? { containerCount: nContainers } : {}),
          },
        },
        true,
      ),
      ...[...containers.values()].map((c) => containerSpec(hostname, { id: c.id, name: c.name }, {}, true)),
    ]);

    const incoming: IncomingResult<Parameters<typeof replaceControlResults>[2][number]['row']>[] = [];
    for (const r of doc.results) {
      const control = dockerControlId(r.id);
      const places = new Map<string, { key: string; subject: string; resources: BenchResource[] }>();
      const targets = r.resources.length > 0 ? r.resources : [{ type: 'host', id: hostname, name: hostname }];
      for (const res of targets) {
        const p = placement(hostname, res);
        const id = `${p.key}|${p.subject}`;
        const entry = places.get(id) ?? { ...p, resources: [] };
        entry.resources.push(res);
        places.set(id, entry);
      }
      for (const p of places.values()) {
        const { resources: _all, ...rest } = r;
        const data = JSON.stringify({ ...rest, resources: p.resources });
        const key = `${p.key}|${ctx.engine}|${control}|${p.subject}`;
        incoming.push({
          key,
          resourceKey: p.key,
          outcome: r.status === 'fail' ? 'open' : 'pass',
          targets: [control],
          data,
          row: {
            result_key: key,
            resource_key: p.key,
            engine: ctx.engine,
            control,
            control_version: 1,
            subject: p.subject,
            status: r.status,
            severity: r.severity,
            severity_rank: severityRank(r.severity),
            standards: JSON.stringify(['cis-docker']),
            data,
            ...controlResultDisplay(rest),
          },
        });
      }
    }
    const assessed = [
      hostKey(hostname),
      daemonKey(hostname),
      ...[...containers.keys()].map((id) => containerKey(hostname, id)),
    ];
    await replaceControlResults(ctx, assessed, incoming);
    if (doc.complete) await retireAbsent(ctx, [containersOf(hostname)]);
  },
});
