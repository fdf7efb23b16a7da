import type { RuleContext } from '../context.js';
import type { Json } from '../event.js';
import {
  allIn,
  basicEvidence,
  complete,
  containers,
  images,
  isResource,
  namespace,
  podCreate,
  podSpecOf,
  query,
  repository,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

const ESCAPE = { tactic: 'Privilege Escalation', technique: 'T1611 Escape to Host' };

function podEvidence(a: Json, extra: Record<string, unknown> = {}) {
  return { ...basicEvidence(a), images: images(a.requestObject?.spec), ...extra };
}

/** A pod-create row over the request's pod spec, with a trusted-image list. */
function podRule(
  id: string,
  title: string,
  falco: string,
  trusted: string,
  test: (spec: Json, ctx: RuleContext) => Record<string, unknown> | undefined,
  remediation: string,
): Rule {
  return {
    id,
    title,
    severity: 'Medium',
    ...ESCAPE,
    source: 'k8s-audit',
    resources: ['pods'],
    falco: [falco],
    evidence: ['user', 'namespace', 'name', 'images'],
    remediation,
    when(e, ctx) {
      const a = complete(e);
      if (!a || !podCreate(a)) return undefined;
      const spec = a.requestObject?.spec;
      const found = test(spec, ctx);
      if (!found) return undefined;
      if (allIn(images(spec).map(repository), ctx.list(trusted))) return undefined;
      return { evidence: podEvidence(a, found) };
    },
  };
}

export const k8sWorkloadRules: Rule[] = [
  {
    ...podRule(
      'RT-K8S-08',
      'Privileged container in a new pod',
      'Create Privileged Pod',
      'privileged_images',
      (spec) => {
        const names = containers(spec)
          .filter((c) => c.securityContext?.privileged === true)
          .map((c) => c.name);
        return names.length > 0 ? { privilegedContainers: names } : undefined;
      },
      'Remove securityContext.privileged; grant only the capabilities the container needs.',
    ),
    defender: ['K8S_PrivilegedContainer'],
  },
  {
    ...podRule(
      'RT-K8S-09',
      'Sensitive host path mounted into a new pod',
      'Create Sensitive Mount Pod',
      'sensitive_mount_images',
      (spec, ctx) => {
        const sensitive = ctx.list('sensitive_host_paths');
        const paths = (spec?.volumes ?? [])
          .map((v: Json) => v?.hostPath?.path)
          .filter((p: unknown): p is string => typeof p === 'string' && sensitive.includes(p));
        return paths.length > 0 ? { hostPaths: paths } : undefined;
      },
      'Do not mount host system paths or runtime sockets; use a CSI volume or a ConfigMap instead.',
    ),
    defender: ['K8S_SensitiveMount'],
  },
  podRule(
    'RT-K8S-10',
    'Pod shares the host network',
    'Create HostNetwork Pod',
    'hostnetwork_images',
    (spec) => (spec?.hostNetwork === true ? { hostNetwork: true } : undefined),
    'Remove spec.hostNetwork; expose ports through a Service.',
  ),
  podRule(
    'RT-K8S-11',
    'Pod shares the host PID namespace',
    'Create HostPid Pod',
    'hostpid_images',
    (spec) => (spec?.hostPID === true ? { hostPID: true } : undefined),
    'Remove spec.hostPID.',
  ),
  podRule(
    'RT-K8S-12',
    'Pod shares the host IPC namespace',
    'Create HostIPC Pod',
    'hostipc_images',
    (spec) => (spec?.hostIPC === true ? { hostIPC: true } : undefined),
    'Remove spec.hostIPC.',
  ),
  {
    id: 'RT-K8S-13',
    title: 'Pod image outside the allowed list (opt-in)',
    severity: 'Medium',
    tactic: 'Execution',
    technique: 'T1610 Deploy Container',
    source: 'k8s-audit',
    resources: ['pods'],
    falco: ['Create Disallowed Pod'],
    evidence: ['user', 'namespace', 'name', 'images'],
    remediation: 'Deploy images from the allowed repositories only, or add the repository to allowed_images.',
    when(e, ctx) {
      const a = complete(e);
      const allowed = ctx.list('allowed_images');
      if (!a || allowed.length === 0 || !podCreate(a)) return undefined;
      const repos = images(a.requestObject?.spec).map(repository);
      return allIn(repos, allowed) ? undefined : { evidence: podEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-14',
    title: 'Crypto-mining container image',
    severity: 'High',
    tactic: 'Impact',
    technique: 'T1496 Resource Hijacking',
    source: 'k8s-audit',
    resources: ['pods', 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs'],
    defender: ['K8S_MaliciousContainerImage'],
    evidence: ['user', 'namespace', 'name', 'images'],
    remediation: 'Delete the workload, rotate credentials that deployed it and find how it got in.',
    when(e, ctx) {
      const a = complete(e);
      if (!a) return undefined;
      const workload =
        podCreate(a) ||
        (isResource(a, 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs') &&
          verbIn(a, 'create', 'update', 'patch'));
      if (!workload) return undefined;
      const miners = ctx.list('miner_images');
      const hits = images(podSpecOf(a.requestObject)).filter((img) => {
        const repo = repository(img).toLowerCase();
        const last = repo.slice(repo.lastIndexOf('/') + 1);
        return miners.some((m) => last === m || last.startsWith(`${m}-`) || repo.includes(`/${m}`));
      });
      return hits.length > 0 ? { evidence: { ...basicEvidence(a), images: hits } } : undefined;
    },
  },
  {
    id: 'RT-K8S-15',
    title: 'New pod in kube-system or kube-public',
    severity: 'Medium',
    tactic: 'Persistence',
    technique: 'T1610 Deploy Container; T1036.005 Match Legitimate Name or Location',
    source: 'k8s-audit',
    resources: ['pods'],
    falco: ['Pod Created in Kube Namespace'],
    defender: ['K8S_KubeSystemContainer'],
    evidence: ['user', 'namespace', 'name', 'images'],
    remediation: 'Deploy workloads to their own namespaces; keep kube-system for cluster components.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !podCreate(a) || !['kube-system', 'kube-public'].includes(namespace(a))) return undefined;
      if (allIn(images(a.requestObject?.spec).map(repository), ctx.list('kube_namespace_images')))
        return undefined;
      return { evidence: podEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-24',
    title: 'Ephemeral (debug) container added',
    severity: 'Low',
    tactic: 'Execution',
    technique: 'T1609 Container Administration Command',
    source: 'k8s-audit',
    resources: ['pods'],
    falco: ['EphemeralContainers Created'],
    evidence: ['user', 'namespace', 'name', 'ephemeralContainers'],
    remediation: 'Review who may use kubectl debug (pods/ephemeralcontainers) and what the container ran.',
    when(e) {
      const a = complete(e);
      if (a?.objectRef?.resource !== 'pods' || a.objectRef.subresource !== 'ephemeralcontainers')
        return undefined;
      if (!verbIn(a, 'create', 'update', 'patch')) return undefined;
      const list = a.requestObject?.spec?.ephemeralContainers ?? a.requestObject?.ephemeralContainers ?? [];
      const added = (Array.isArray(list) ? list : []).map((c: Json) => ({ name: c?.name, image: c?.image }));
      return {
        evidence: { ...basicEvidence(a), ephemeralContainers: added, command: query(a).getAll('command') },
      };
    },
  },
];
