import { compareText } from '../../core/collate.js';
import { envelope } from '../../core/envelope.js';
import { isRecord } from './objects/load.js';
import { CONTAINER_LISTS, podSpecOf } from './objects/pod-spec.js';
import type { Json, KubeObject, LoadedObject } from './objects/types.js';

/** The controller kinds the inventory lists as workloads; bare Pods are under `pods`. */
export const INVENTORY_WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

export interface ClusterInventoryInput {
  /** Every object loaded and in scope (assessed and context alike). */
  objects: readonly LoadedObject[];
  cluster: { name: string; uid?: string; version?: string };
  /** origin.cluster: absent when the objects cannot be tied to a cluster. */
  origin?: string;
  complete: boolean;
  now?: Date;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `sha256:…` at the end of an image reference or a container status imageID, if any. */
function digestOf(...refs: (string | undefined)[]): string | undefined {
  for (const ref of refs) {
    const m = ref && /(sha256:[0-9a-f]{64})$/.exec(ref);
    if (m) return m[1];
  }
  return undefined;
}

function imagesOf(object: KubeObject): string[] {
  const view = podSpecOf(object);
  if (!view) return [];
  return [...new Set(view.containers.map((c) => str(c.container.image)).filter((i): i is string => !!i))];
}

function podContainers(pod: KubeObject) {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const status = isRecord(pod.status) ? pod.status : {};
  const statuses = new Map<string, Json>();
  for (const key of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'])
    for (const s of Array.isArray(status[key]) ? status[key] : [])
      if (isRecord(s) && typeof s.name === 'string') statuses.set(s.name, s);
  return CONTAINER_LISTS.flatMap((list) => (Array.isArray(spec[list]) ? spec[list] : []))
    .filter(isRecord)
    .map((c) => {
      const name = str(c.name) ?? '';
      const image = str(c.image) ?? '';
      const imageID = str(statuses.get(name)?.imageID);
      const digest = digestOf(imageID, image);
      return { name, image, ...(imageID ? { imageID } : {}), ...(digest ? { digest } : {}) };
    });
}

function ownerOf(object: KubeObject): { kind: string; name: string } | undefined {
  const refs = (object.metadata.ownerReferences ?? []).filter(isRecord);
  const owner = refs.find((r) => r.controller === true) ?? refs[0];
  const kind = str(owner?.kind);
  const name = str(owner?.name);
  return kind && name ? { kind, name } : undefined;
}

/**
 * The ClusterInventory document: namespaces (also those only named by objects' metadata.namespace), workloads
 * with their images, and pods with their containers' images and digests, from the objects a scan loaded.
 */
export function clusterInventoryDocument(input: ClusterInventoryInput) {
  const seen = new Set<string>();
  const objects = input.objects
    .map((o) => o.object)
    .filter((o) => {
      // the same object in two files, or live and in a file, is listed once
      const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const namespaces = new Map<string, { name: string; uid?: string; labels?: Record<string, string> }>();
  for (const o of objects)
    if (o.kind === 'Namespace' && o.metadata.name) {
      const uid = str(o.metadata.uid);
      const labels = o.metadata.labels;
      namespaces.set(o.metadata.name, {
        name: o.metadata.name,
        ...(uid ? { uid } : {}),
        ...(labels && Object.keys(labels).length ? { labels } : {}),
      });
    }
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns && !namespaces.has(ns)) namespaces.set(ns, { name: ns });
  }
  const workloads = objects
    .filter((o) => INVENTORY_WORKLOAD_KINDS.has(o.kind) && o.metadata.name)
    .map((o) => {
      const uid = str(o.metadata.uid);
      return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name!,
        ...(uid ? { uid } : {}),
        images: imagesOf(o),
      };
    });
  const pods = objects
    .filter((o) => o.kind === 'Pod' && o.metadata.name)
    .map((o) => {
      const uid = str(o.metadata.uid);
      const owner = ownerOf(o);
      const spec = isRecord(o.spec) ? o.spec : {};
      const status = isRecord(o.status) ? o.status : {};
      const node = str(spec.nodeName);
      const phase = str(status.phase);
      return {
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name!,
        ...(uid ? { uid } : {}),
        ...(owner ? { owner } : {}),
        ...(node ? { node } : {}),
        ...(phase ? { phase } : {}),
        containers: podContainers(o),
      };
    });
  const byName = (a: { name: string }, b: { name: string }) => compareText(a.name, b.name);
  const byPlace = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
    compareText(a.namespace, b.namespace) || compareText(a.name, b.name);
  return envelope(
    'ClusterInventory',
    {
      engine: 'k8s-scan' as const,
      origin: input.origin ? { cluster: input.origin } : {},
      complete: input.complete,
      cluster: input.cluster,
      namespaces: [...namespaces.values()].sort(byName),
      workloads: workloads.sort((a, b) => compareText(a.kind, b.kind) || byPlace(a, b)),
      pods: pods.sort(byPlace),
    },
    input.now,
  );
}

export type ClusterInventoryDocument = ReturnType<typeof clusterInventoryDocument>;
