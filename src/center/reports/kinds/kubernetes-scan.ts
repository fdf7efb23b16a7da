import { z } from 'zod';
import { severityRank } from '../../../core/severity.js';
import { clusterKey, type KubeObjectRef, namespaceKey, placeKubeObject } from '../../inventory/keys.js';
import { controlResultDisplay } from '../../results/display.js';
import type { IncomingResult } from '../../results/life.js';
import { fileResources, type ResourceSpec, replaceControlResults, retireAbsent } from '../filing.js';
import { defineKind, invalidReport } from '../kind.js';
import { complete, origin, severity } from './common.js';

const ObjectRef = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().min(1),
  namespace: z.string().optional(),
  name: z.string().min(1),
});

const KubernetesScan = z.object({
  kind: z.literal('KubernetesScan'),
  engine: z.enum(['k8s-scan', 'admission-audit']).optional(),
  origin,
  complete,
  /** `k8s scan --cluster` wrote the cluster's name here before `origin` existed. */
  cluster: z.string().optional(),
  results: z.array(
    z.looseObject({
      control: z.string().min(1),
      title: z.string(),
      severity,
      standards: z.array(z.string()).default([]),
      resource: ObjectRef,
      status: z.string(),
      message: z.string().optional(),
      field: z.string().optional(),
      remediation: z.string().optional(),
      suppressedBy: z.unknown().optional(),
    }),
  ),
  assessed: z.array(ObjectRef).optional(),
});
type KubernetesScan = z.infer<typeof KubernetesScan>;

function clusterName(doc: KubernetesScan): string {
  const name = doc.origin?.cluster ?? doc.cluster;
  if (!name)
    throw invalidReport('origin.cluster', 'a Kubernetes report must name its cluster (--cluster-name)');
  return name;
}

/** The cluster, the namespaces and the objects a scan names, with the cluster → namespace → object tree. */
export function kubeResources(
  cluster: string,
  refs: readonly KubeObjectRef[],
  assessed: boolean,
): ResourceSpec[] {
  const specs: ResourceSpec[] = [
    { key: clusterKey(cluster), family: 'clusters', type: 'cluster', name: cluster, parent: null },
  ];
  for (const ref of refs) {
    const place = placeKubeObject(cluster, ref);
    if (place.namespace !== undefined && place.type !== 'namespace')
      specs.push({
        key: namespaceKey(cluster, place.namespace),
        family: 'clusters',
        type: 'namespace',
        name: place.namespace,
        parent: clusterKey(cluster),
      });
    specs.push({
      key: place.key,
      family: 'clusters',
      type: place.type,
      name: ref.name,
      parent: place.parent,
      attributes: { kind: ref.kind, ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}) },
      assessed,
    });
  }
  return specs;
}

/**
 * A posture scan of manifests or of a live cluster (also `admission audit`, engine admission-audit). A failing
 * result opens; one the document's own exceptions suppressed (`suppressedBy`) is kept as `excepted`; a pass
 * (with --include-passed) is kept as `passed`.
 */
export const kubernetesScanKind = defineKind<KubernetesScan>({
  kind: 'KubernetesScan',
  schema: KubernetesScan,
  engine: (doc) => doc.engine ?? 'k8s-scan',
  scope: (doc) => clusterKey(clusterName(doc)),
  apply: async (doc, ctx) => {
    const cluster = clusterName(doc);
    // older documents have no `assessed`: the objects the results name
    const assessedRefs = doc.assessed ?? doc.results.map((r) => r.resource);
    await fileResources(
      ctx,
      kubeResources(cluster, [...assessedRefs, ...doc.results.map((r) => r.resource)], true),
    );

    const incoming: IncomingResult<Parameters<typeof replaceControlResults>[2][number]['row']>[] = [];
    for (const r of doc.results) {
      const { key: resourceKey } = placeKubeObject(cluster, r.resource);
      const subject = r.field ?? '';
      const key = `${resourceKey}|${ctx.engine}|${r.control}|${subject}`;
      // the same object may come from several files: its failure wins over its pass
      const outcome = r.status === 'fail' ? (r.suppressedBy ? 'suppressed' : 'open') : 'pass';
      const data = JSON.stringify(r);
      incoming.push({
        key,
        resourceKey,
        outcome,
        targets: [r.control],
        data,
        row: {
          result_key: key,
          resource_key: resourceKey,
          engine: ctx.engine,
          control: r.control,
          control_version: 1,
          subject,
          status: r.status,
          severity: r.severity,
          severity_rank: severityRank(r.severity),
          standards: JSON.stringify(r.standards),
          data,
          ...controlResultDisplay(r as unknown as Record<string, unknown>),
        },
      });
    }
    const rank = { open: 0, suppressed: 1, pass: 2 } as const;
    incoming.sort((a, b) => rank[a.outcome] - rank[b.outcome]);
    await replaceControlResults(
      ctx,
      [
        ...new Set(
          [...assessedRefs, ...doc.results.map((r) => r.resource)].map(
            (ref) => placeKubeObject(cluster, ref).key,
          ),
        ),
      ],
      incoming,
    );
    if (doc.complete) await retireAbsent(ctx, [`workload:${cluster}/`, `object:${cluster}/`]);
  },
});
