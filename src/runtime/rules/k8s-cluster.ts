import type { Json } from '../event.js';
import {
  basicEvidence,
  complete,
  isResource,
  matchesAny,
  namespace,
  ok,
  targetName,
  user,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

export const k8sClusterRules: Rule[] = [
  {
    id: 'RT-K8S-25',
    title: 'Admission webhook configuration created or changed',
    severity: 'Low',
    tactic: 'Persistence, Credential Access',
    source: 'k8s-audit',
    resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
    defender: ['K8S_AdmissionController'],
    evidence: ['user', 'verb', 'name', 'webhooks'],
    remediation:
      'Check the webhook service and its rules; a malicious admission controller sees or changes every object.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations'))
        return undefined;
      if (!verbIn(a, 'create', 'update', 'patch') || !ok(a)) return undefined;
      if (matchesAny(user(a), ctx.list('webhook_installers'))) return undefined;
      const hooks = (a.requestObject?.webhooks ?? []).map((w: Json) => w?.name);
      return { evidence: { ...basicEvidence(a), webhooks: hooks } };
    },
  },
  {
    id: 'RT-K8S-26',
    title: 'CoreDNS configuration modified',
    severity: 'Low',
    tactic: 'Lateral Movement, Collection',
    technique: 'T1557 Adversary-in-the-Middle',
    source: 'k8s-audit',
    resources: ['configmaps'],
    defender: ['K8S_CoreDnsModification'],
    evidence: ['user', 'verb', 'name'],
    remediation:
      'Diff the CoreDNS Corefile against the cluster baseline and revert unexpected rewrites or forwards.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'configmaps') || !ok(a) || namespace(a) !== 'kube-system') return undefined;
      const name = targetName(a);
      const modify =
        verbIn(a, 'update', 'patch', 'delete') && (name === 'coredns' || name === 'coredns-custom');
      const create = verbIn(a, 'create') && name === 'coredns-custom';
      if (!(modify || create) || matchesAny(user(a), ctx.list('coredns_operators'))) return undefined;
      return { evidence: basicEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-27',
    title: 'Kubernetes events deleted',
    severity: 'Low',
    tactic: 'Defense Evasion',
    technique: 'T1070 Indicator Removal',
    source: 'k8s-audit',
    resources: ['events'],
    defender: ['K8S_DeleteEvents'],
    evidence: ['user', 'verb', 'namespace'],
    remediation:
      'Find why events were deleted; ship events to an external store so deletion does not hide activity.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'events') || !verbIn(a, 'delete', 'deletecollection') || !ok(a))
        return undefined;
      if (matchesAny(user(a), ctx.list('system_event_deleters'))) return undefined;
      return { evidence: basicEvidence(a), key: user(a) };
    },
  },
  {
    id: 'RT-K8S-28',
    title: 'ConfigMap holding credentials created or changed',
    severity: 'Medium',
    tactic: 'Credential Access',
    technique: 'T1552 Unsecured Credentials',
    source: 'k8s-audit',
    resources: ['configmaps'],
    falco: ['Create/Modify Configmap With Private Credentials'],
    evidence: ['user', 'namespace', 'name', 'markers'],
    remediation: 'Move credentials to a Secret (or an external secret store) and rotate them.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'configmaps') || !verbIn(a, 'create', 'update', 'patch')) return undefined;
      const data = a.requestObject?.data;
      if (!data) return undefined;
      const text = JSON.stringify(data);
      const markers = ctx.list('configmap_credential_markers').filter((m) => text.includes(m));
      return markers.length > 0 ? { evidence: { ...basicEvidence(a), markers } } : undefined;
    },
  },
  {
    id: 'RT-K8S-32',
    title: 'Namespace created outside the allowed set',
    severity: 'Medium',
    tactic: 'None',
    source: 'k8s-audit',
    resources: ['namespaces'],
    falco: ['Create Disallowed Namespace'],
    evidence: ['user', 'name'],
    remediation:
      'Add the namespace to allowed_namespaces if it is expected; otherwise delete it and review the creator.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'namespaces') || !verbIn(a, 'create')) return undefined;
      const name = targetName(a);
      return ctx.list('allowed_namespaces').includes(name)
        ? undefined
        : { evidence: { ...basicEvidence(a), name } };
    },
  },
  {
    id: 'RT-K8S-39',
    title: 'Ingress created without TLS',
    severity: 'Low',
    tactic: 'Collection',
    technique: 'T1040 Network Sniffing',
    source: 'k8s-audit',
    resources: ['ingresses'],
    falco: ['Ingress Object without TLS Certificate Created'],
    evidence: ['user', 'namespace', 'name', 'hosts'],
    remediation: 'Add spec.tls with a certificate for the ingress hosts.',
    when(e) {
      const a = complete(e);
      if (!a || !isResource(a, 'ingresses') || !verbIn(a, 'create') || !ok(a)) return undefined;
      const tls = a.requestObject?.spec?.tls;
      if (Array.isArray(tls) && tls.length > 0) return undefined;
      const hosts = (a.requestObject?.spec?.rules ?? []).map((r: Json) => r?.host).filter(Boolean);
      return { evidence: { ...basicEvidence(a), hosts } };
    },
  },
  {
    id: 'RT-K8S-40',
    title: 'Untrusted node joined the cluster (off by default)',
    severity: 'High',
    tactic: 'Persistence',
    source: 'k8s-audit',
    resources: ['nodes'],
    falco: ['Untrusted Node Successfully Joined the Cluster'],
    evidence: ['user', 'name', 'sourceIP'],
    remediation:
      'Cordon and delete the node, revoke its bootstrap token, and review how it obtained credentials.',
    when(e, ctx) {
      const a = complete(e);
      const allowed = ctx.list('allowed_nodes');
      if (!a || allowed.length === 0 || !isResource(a, 'nodes') || !verbIn(a, 'create') || !ok(a))
        return undefined;
      return allowed.includes(targetName(a)) ? undefined : { evidence: basicEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-41',
    title: 'Untrusted node failed to join (off by default)',
    severity: 'Medium',
    tactic: 'Persistence',
    source: 'k8s-audit',
    resources: ['nodes'],
    falco: ['Untrusted Node Unsuccessfully Tried to Join the Cluster'],
    evidence: ['user', 'name', 'sourceIP', 'code'],
    remediation: 'Find the machine at the source address and why it holds node credentials.',
    when(e, ctx) {
      const a = complete(e);
      const allowed = ctx.list('allowed_nodes');
      if (!a || allowed.length === 0 || !isResource(a, 'nodes') || !verbIn(a, 'create') || ok(a))
        return undefined;
      return allowed.includes(targetName(a)) ? undefined : { evidence: basicEvidence(a) };
    },
  },
];
