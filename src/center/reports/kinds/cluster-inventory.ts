import { z } from 'zod';
import {
  clusterKey,
  digestOf,
  namespaceKey,
  podKey,
  WORKLOAD_KINDS,
  workloadKey,
} from '../../inventory/keys.js';
import { fileResources, type ResourceSpec, retireAbsent } from '../filing.js';
import { defineKind, invalidReport } from '../kind.js';
import { complete, engine, origin } from './common.js';

const ClusterInventory = z.object({
  kind: z.literal('ClusterInventory'),
  engine,
  origin,
  complete,
  cluster: z.looseObject({
    name: z.string().optional(),
    uid: z.string().optional(),
    version: z.string().optional(),
  }),
  namespaces: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        uid: z.string().optional(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
  workloads: z
    .array(
      z.looseObject({
        apiVersion: z.string().optional(),
        kind: z.string().min(1),
        namespace: z.string().min(1),
        name: z.string().min(1),
        uid: z.string().optional(),
        images: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  pods: z
    .array(
      z.looseObject({
        namespace: z.string().min(1),
        name: z.string().min(1),
        uid: z.string().optional(),
        owner: z.looseObject({ kind: z.string(), name: z.string() }).optional(),
        node: z.string().optional(),
        phase: z.string().optional(),
        containers: z
          .array(
            z.looseObject({
              name: z.string(),
              image: z.string(),
              imageID: z.string().optional(),
              digest: z.string().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});
type ClusterInventory = z.infer<typeof ClusterInventory>;

function clusterName(doc: ClusterInventory): string {
  const name = doc.origin?.cluster ?? doc.cluster.name ?? doc.cluster.uid;
  if (!name) throw invalidReport('origin.cluster', 'a cluster inventory must name its cluster');
  return name;
}

/** The image a pod runs, as precisely as the inventory knows it: a digest, else the reference. */
function podImageRef(pod: ClusterInventory['pods'][number]): string | null {
  const c = pod.containers[0];
  if (!c) return null;
  return c.digest ?? (c.imageID ? digestOf(c.imageID) : undefined) ?? digestOf(c.image) ?? c.image;
}

/** What a cluster runs: namespaces, workloads, pods with their images. Inventory only: it assesses nothing. */
export const clusterInventoryKind = defineKind<ClusterInventory>({
  kind: 'ClusterInventory',
  schema: ClusterInventory,
  engine: (doc) => doc.engine ?? 'k8s-scan',
  scope: (doc) => clusterKey(clusterName(doc)),
  apply: async (doc, ctx) => {
    const cluster = clusterName(doc);
    const specs: ResourceSpec[] = [
      {
        key: clusterKey(cluster),
        family: 'clusters',
        type: 'cluster',
        name: cluster,
        parent: null,
        attributes: { ...doc.cluster },
      },
    ];
    const namespace = (ns: string, extra: Record<string, unknown> = {}): ResourceSpec => ({
      key: namespaceKey(cluster, ns),
      family: 'clusters',
      type: 'namespace',
      name: ns,
      parent: clusterKey(cluster),
      attributes: extra,
    });
    for (const ns of doc.namespaces)
      specs.push(namespace(ns.name, { ...(ns.uid ? { uid: ns.uid } : {}), labels: ns.labels ?? {} }));
    const workloads = new Set<string>();
    for (const w of doc.workloads) {
      const key = workloadKey(cluster, w.namespace, w.kind, w.name);
      workloads.add(key);
      specs.push(namespace(w.namespace), {
        key,
        family: 'clusters',
        type: 'workload',
        name: w.name,
        parent: namespaceKey(cluster, w.namespace),
        attributes: {
          kind: w.kind,
          ...(w.apiVersion ? { apiVersion: w.apiVersion } : {}),
          ...(w.uid ? { uid: w.uid } : {}),
          images: w.images,
        },
        imageRef: w.images[0] ? (digestOf(w.images[0]) ?? w.images[0]) : null,
      });
    }
    for (const p of doc.pods) {
      const owner =
        p.owner && WORKLOAD_KINDS.has(p.owner.kind)
          ? workloadKey(cluster, p.namespace, p.owner.kind, p.owner.name)
          : undefined;
      specs.push(namespace(p.namespace), {
        key: podKey(cluster, p.namespace, p.name),
        family: 'clusters',
        type: 'pod',
        name: p.name,
        parent: owner && workloads.has(owner) ? owner : namespaceKey(cluster, p.namespace),
        attributes: {
          ...(p.uid ? { uid: p.uid } : {}),
          ...(p.owner ? { owner: p.owner } : {}),
          ...(p.node ? { node: p.node } : {}),
          ...(p.phase ? { phase: p.phase } : {}),
          containers: p.containers,
        },
        imageRef: podImageRef(p),
      });
    }
    await fileResources(ctx, specs);
    if (doc.complete)
      await retireAbsent(ctx, [`namespace:${cluster}/`, `workload:${cluster}/`, `pod:${cluster}/`]);
  },
});
