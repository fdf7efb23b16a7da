import { GATEKEEPER_KINDS } from '../hardening/kubernetes/gatekeeper/mapping.js';
import { CONTROLS, Inventory, type KubeObject, type LoadedObject } from '../hardening/kubernetes/index.js';
import { blocksOf } from '../hardening/kubernetes/kyverno/match.js';
import { POD_CONTROLLERS } from '../hardening/kubernetes/kyverno/policy.js';
import { ADMISSION_DEFAULTS } from './defaults/index.js';
import type { AdmissionPolicy } from './policy.js';

/** A kind the webhook can be asked about: its API group, version and resource (plural). */
export interface KindResource {
  kind: string;
  group: string;
  version: string;
  resources: string[];
}

/** The kinds the posture engine judges one object of, with their REST resources. */
export const ADMITTED_KINDS: readonly KindResource[] = [
  { kind: 'Pod', group: '', version: 'v1', resources: ['pods', 'pods/ephemeralcontainers'] },
  { kind: 'Deployment', group: 'apps', version: 'v1', resources: ['deployments'] },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', resources: ['replicasets'] },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', resources: ['statefulsets'] },
  { kind: 'DaemonSet', group: 'apps', version: 'v1', resources: ['daemonsets'] },
  { kind: 'Job', group: 'batch', version: 'v1', resources: ['jobs'] },
  { kind: 'CronJob', group: 'batch', version: 'v1', resources: ['cronjobs'] },
  { kind: 'ReplicationController', group: '', version: 'v1', resources: ['replicationcontrollers'] },
  { kind: 'Service', group: '', version: 'v1', resources: ['services'] },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', resources: ['ingresses'] },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', resources: ['networkpolicies'] },
  { kind: 'Namespace', group: '', version: 'v1', resources: ['namespaces'] },
  { kind: 'PersistentVolumeClaim', group: '', version: 'v1', resources: ['persistentvolumeclaims'] },
  { kind: 'ConfigMap', group: '', version: 'v1', resources: ['configmaps'] },
  { kind: 'ServiceAccount', group: '', version: 'v1', resources: ['serviceaccounts'] },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['roles'] },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['clusterroles'] },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['rolebindings'] },
  {
    kind: 'ClusterRoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resources: ['clusterrolebindings'],
  },
  { kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', resources: ['poddisruptionbudgets'] },
  {
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    resources: ['horizontalpodautoscalers'],
  },
];

const POD_SPEC = {
  hostNetwork: true,
  hostPID: true,
  hostIPC: true,
  securityContext: { runAsUser: 0, sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
  volumes: [
    { name: 'h', hostPath: { path: '/' } },
    { name: 'e', emptyDir: {} },
  ],
  containers: [
    {
      name: 'c',
      image: 'example.com/probe:latest',
      ports: [{ containerPort: 80, hostPort: 80 }],
      securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
      volumeMounts: [{ name: 'h', mountPath: '/host' }],
    },
  ],
};

/** A representative object of a kind, rich enough that controls about it apply (return non-null). */
function probe(kind: KindResource): KubeObject {
  const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  const metadata = { name: 'probe', namespace: 'probe', labels: { app: 'probe' } };
  const template = { metadata: { labels: { app: 'probe' } }, spec: POD_SPEC };
  const spec: Record<string, Record<string, unknown>> = {
    Pod: POD_SPEC,
    CronJob: { schedule: '* * * * *', jobTemplate: { spec: { template } } },
    Service: {
      type: 'LoadBalancer',
      selector: { app: 'probe' },
      ports: [{ port: 80, nodePort: 30080 }],
      externalIPs: ['1.2.3.4'],
    },
    Ingress: { rules: [{ host: '*.example.com', http: { paths: [] } }] },
    PersistentVolumeClaim: { accessModes: ['ReadWriteOnce'] },
    NetworkPolicy: { podSelector: {} },
  };
  const body =
    kind.kind === 'Role' || kind.kind === 'ClusterRole'
      ? { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }
      : kind.kind.endsWith('Binding')
        ? {
            roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' },
            subjects: [{ kind: 'Group', name: 'system:anonymous' }],
          }
        : kind.kind === 'ConfigMap'
          ? { data: { key: 'value' } }
          : {
              spec: spec[kind.kind] ?? { replicas: 1, selector: { matchLabels: { app: 'probe' } }, template },
            };
  return { apiVersion, kind: kind.kind, metadata, ...body } as KubeObject;
}

/**
 * The kinds a policy needs the webhook to receive: those of which some selected control judges a representative
 * object (the posture rows do not declare their kinds; they answer null when they do not apply), and those
 * the Gatekeeper constraints match.
 */
export function neededKinds(policy: AdmissionPolicy): KindResource[] {
  const ids = new Set(policy.groups.flatMap((g) => g.controls));
  const constraintIds = new Set(policy.constraints.flatMap((c) => GATEKEEPER_KINDS[c.kind]?.controls ?? []));
  const controls = [...CONTROLS, ...(policy.customControls ?? [])].filter(
    (c) => ids.has(c.id) || constraintIds.has(c.id),
  );
  const ctxBase = { params: policy.parameters, pssVersion: policy.pssVersion, standard: 'all' as const };
  return ADMITTED_KINDS.filter((kind) => {
    const item: LoadedObject = { object: probe(kind), source: {} };
    const ctx = { ...ctxBase, inventory: new Inventory([item]) };
    return controls.some((c) => {
      try {
        return c.check(item, ctx) !== null;
      } catch {
        return false;
      }
    });
  });
}

const byKind = (names: Iterable<string>): KindResource[] => {
  const wanted = new Set(names);
  return ADMITTED_KINDS.filter((k) => wanted.has(k.kind));
};

/**
 * The kinds the mutating webhook must receive: Pods and pod controllers for the Bulkhead defaults, and the kinds
 * the Kyverno mutate rules match (their last path segment, among the admitted kinds), with the pod controllers
 * their policy's autogen extends them to.
 */
export function mutatedKinds(policy: AdmissionPolicy): KindResource[] {
  const names = new Set<string>();
  const keys = Object.keys(policy.defaults ?? {});
  if (ADMISSION_DEFAULTS.some((d) => keys.includes(d.id)))
    for (const k of ['Pod', ...POD_CONTROLLERS]) names.add(k);
  for (const p of policy.kyvernoPolicies ?? [])
    for (const r of p.rules) {
      if (!r.mutate) continue;
      const { any, all } = blocksOf(r.match);
      for (const block of [...any, ...all]) {
        const resources = block.resources as { kinds?: unknown } | undefined;
        for (const k of Array.isArray(resources?.kinds) ? resources.kinds.map(String) : []) {
          const kind = k.split('/').at(-1)!;
          names.add(kind);
          if (kind === 'Pod') for (const c of p.autogen) names.add(c);
        }
      }
    }
  return byKind(names);
}
