import type { Json } from '../event.js';
import {
  basicEvidence,
  complete,
  isResource,
  namespace,
  ok,
  systemUser,
  targetName,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

/** Audit-trail row: resource × verb, 2xx, ResponseComplete; `extra` narrows it. */
function activity(
  id: string,
  title: string,
  resource: string,
  verb: 'create' | 'delete',
  falco: string,
  extra?: (a: Json) => boolean,
): Rule {
  return {
    id,
    title,
    severity: 'Info',
    tactic: 'None',
    source: 'k8s-audit',
    resources: [resource],
    activity: true,
    falco: [falco],
    evidence: ['user', 'namespace', 'name'],
    remediation: 'Informational: an audit trail of cluster changes.',
    when(e, ctx) {
      const a = complete(e);
      if (!ctx.activity || !a || !isResource(a, resource) || !verbIn(a, verb) || !ok(a)) return undefined;
      if (extra && !extra(a)) return undefined;
      return { evidence: basicEvidence(a), key: `${a.objectRef?.namespace ?? ''}/${targetName(a)}` };
    },
  };
}

const notSystemOutsideKubeSystem = (a: Json) => namespace(a) !== 'kube-system' && !systemUser(a);

export const k8sActivityRules: Rule[] = [
  activity('RT-K8S-A01', 'Deployment created', 'deployments', 'create', 'K8s Deployment Created'),
  activity('RT-K8S-A02', 'Deployment deleted', 'deployments', 'delete', 'K8s Deployment Deleted'),
  activity('RT-K8S-A03', 'Service created', 'services', 'create', 'K8s Service Created'),
  activity('RT-K8S-A04', 'Service deleted', 'services', 'delete', 'K8s Service Deleted'),
  activity('RT-K8S-A05', 'ConfigMap created', 'configmaps', 'create', 'K8s ConfigMap Created'),
  activity('RT-K8S-A06', 'ConfigMap deleted', 'configmaps', 'delete', 'K8s ConfigMap Deleted'),
  activity('RT-K8S-A07', 'Namespace created', 'namespaces', 'create', 'K8s Namespace Created'),
  activity(
    'RT-K8S-A08',
    'Namespace deleted',
    'namespaces',
    'delete',
    'K8s Namespace Deleted',
    (a) => !systemUser(a),
  ),
  activity(
    'RT-K8S-A09',
    'Service account created',
    'serviceaccounts',
    'create',
    'K8s Serviceaccount Created',
  ),
  activity(
    'RT-K8S-A10',
    'Service account deleted',
    'serviceaccounts',
    'delete',
    'K8s Serviceaccount Deleted',
  ),
  activity('RT-K8S-A11', 'Role created', 'roles', 'create', 'K8s Role Created'),
  activity('RT-K8S-A12', 'Role deleted', 'roles', 'delete', 'K8s Role Deleted'),
  activity('RT-K8S-A13', 'ClusterRole created', 'clusterroles', 'create', 'K8s ClusterRole Created'),
  activity('RT-K8S-A14', 'ClusterRole deleted', 'clusterroles', 'delete', 'K8s ClusterRole Deleted'),
  activity('RT-K8S-A15', 'RoleBinding created', 'rolebindings', 'create', 'K8s RoleBinding Created'),
  activity('RT-K8S-A16', 'RoleBinding deleted', 'rolebindings', 'delete', 'K8s RoleBinding Deleted'),
  activity(
    'RT-K8S-A17',
    'ClusterRoleBinding created',
    'clusterrolebindings',
    'create',
    'K8s ClusterRoleBinding Created',
  ),
  activity(
    'RT-K8S-A18',
    'ClusterRoleBinding deleted',
    'clusterrolebindings',
    'delete',
    'K8s ClusterRoleBinding Deleted',
  ),
  activity(
    'RT-K8S-A19',
    'Secret created',
    'secrets',
    'create',
    'K8s Secret Created',
    notSystemOutsideKubeSystem,
  ),
  activity(
    'RT-K8S-A20',
    'Secret deleted',
    'secrets',
    'delete',
    'K8s Secret Deleted',
    notSystemOutsideKubeSystem,
  ),
];
