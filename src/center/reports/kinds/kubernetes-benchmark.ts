import { z } from 'zod';
import { severityRank } from '../../../core/severity.js';
import { hostKey } from '../../inventory/keys.js';
import { controlResultDisplay } from '../../results/display.js';
import type { IncomingResult } from '../../results/life.js';
import { fileResources, replaceControlResults } from '../filing.js';
import { defineKind, invalidReport } from '../kind.js';
import { complete, engine, origin, severity } from './common.js';

const BenchResource = z.looseObject({ type: z.string(), id: z.string(), name: z.string().optional() });

const KubernetesBenchmark = z.object({
  kind: z.literal('KubernetesBenchmark'),
  engine,
  origin,
  complete,
  benchmark: z.looseObject({ id: z.string().optional(), version: z.string().optional() }).optional(),
  node: z.looseObject({ hostname: z.string().optional(), targets: z.array(z.string()).optional() }),
  results: z.array(
    z.looseObject({
      id: z.string().min(1),
      title: z.string(),
      target: z.string().optional(),
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
});
type KubernetesBenchmark = z.infer<typeof KubernetesBenchmark>;

/** The managed-cluster benchmarks number their rows anew (EKS 3.2.1 is not CIS 3.2.1): each has its prefix. */
const PREFIX: Readonly<Record<string, string>> = {
  'cis-1.12': 'CIS-K8S',
  'eks-1.8': 'CIS-EKS',
  'gke-1.9': 'CIS-GKE',
  'aks-1.8': 'CIS-AKS',
};

/** Control ids as the center stores them. @example 'CIS-K8S-1.2.15', 'CIS-EKS-3.2.1' */
export const kubernetesBenchmarkControlId = (id: string, benchmark = 'cis-1.12') =>
  `${PREFIX[benchmark] ?? 'CIS-K8S'}-${id}`;

function nodeName(doc: KubernetesBenchmark): string {
  const name = doc.origin?.host ?? doc.node.hostname;
  if (!name) throw invalidReport('origin.host', 'a Kubernetes node benchmark must name its node');
  return name;
}

/**
 * The CIS Kubernetes Benchmark of a node, filed on the node's host resource (hosts family): one result per
 * recommendation and thing it concerns (a file, a component, a cluster object of section 5). Only `fail` opens a
 * result; the other statuses are kept as passed with their status, as for DockerBenchmark.
 */
export const kubernetesBenchmarkKind = defineKind<KubernetesBenchmark>({
  kind: 'KubernetesBenchmark',
  schema: KubernetesBenchmark,
  engine: (doc) => doc.engine ?? 'kubernetes-benchmark',
  scope: (doc) => hostKey(nodeName(doc)),
  apply: async (doc, ctx) => {
    const node = nodeName(doc);
    const key = hostKey(node);
    const { hostname: _h, ...attributes } = doc.node;
    await fileResources(ctx, [
      {
        key,
        family: 'hosts',
        type: 'host',
        name: node,
        parent: null,
        attributes: { kubernetes: attributes },
        assessed: true,
      },
    ]);
    const incoming: IncomingResult<Parameters<typeof replaceControlResults>[2][number]['row']>[] = [];
    for (const r of doc.results) {
      const control = kubernetesBenchmarkControlId(r.id, doc.benchmark?.id);
      const subjects = r.resources.length ? r.resources.map((x) => `${x.type}:${x.id}`) : [''];
      for (const subject of [...new Set(subjects)]) {
        const { resources, ...rest } = r;
        const data = JSON.stringify({
          ...rest,
          resources: subject ? resources.filter((x) => `${x.type}:${x.id}` === subject) : [],
        });
        const resultKey = `${key}|${ctx.engine}|${control}|${subject}`;
        incoming.push({
          key: resultKey,
          resourceKey: key,
          outcome: r.status === 'fail' ? 'open' : 'pass',
          targets: [control],
          data,
          row: {
            result_key: resultKey,
            resource_key: key,
            engine: ctx.engine,
            control,
            control_version: 1,
            subject,
            status: r.status,
            severity: r.severity,
            severity_rank: severityRank(r.severity),
            standards: JSON.stringify([
              doc.benchmark?.id && doc.benchmark.id !== 'cis-1.12'
                ? `cis-${doc.benchmark.id.split('-')[0]}`
                : 'cis-kubernetes',
            ]),
            data,
            ...controlResultDisplay(rest),
          },
        });
      }
    }
    await replaceControlResults(ctx, [key], incoming);
  },
});
