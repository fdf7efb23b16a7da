import type { Json } from '../event.js';
import {
  basicEvidence,
  complete,
  flattenRole,
  isResource,
  namespace,
  ok,
  targetName,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

const ROLE_T = 'T1098.006 Additional Container Cluster Roles';
const ROLE_FIX = 'Grant the narrowest verbs and resources the subject needs; prefer namespaced Roles.';

function roleCreate(e: Parameters<typeof complete>[0]) {
  const a = complete(e);
  return a && isResource(a, 'roles', 'clusterroles') && verbIn(a, 'create') ? a : undefined;
}

function roleEvidence(a: Json) {
  const { resources, verbs } = flattenRole(a.requestObject);
  return { ...basicEvidence(a), resources, verbs };
}

/** Rules naming escalation-prone permissions explicitly (wildcards are RT-K8S-18). */
function escalationGrants(rules: Json[]): string[] {
  const out: string[] = [];
  const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];
  for (const r of rules) {
    const res: string[] = (r?.resources ?? []).map(String);
    const verbs: string[] = (r?.verbs ?? []).map(String);
    const has = (x: string) => res.includes(x);
    if (has('secrets') && verbs.some((v) => ['get', 'list', 'watch'].includes(v))) out.push('secrets read');
    for (const v of ['escalate', 'bind', 'impersonate']) if (verbs.includes(v)) out.push(`verb ${v}`);
    if (has('nodes/proxy')) out.push('nodes/proxy');
    if (has('serviceaccounts/token') && verbs.includes('create')) out.push('serviceaccounts/token create');
    if (has('certificatesigningrequests/approval') && verbs.includes('update')) out.push('csr approval');
    if (
      (has('mutatingwebhookconfigurations') || has('validatingwebhookconfigurations')) &&
      verbs.some((v) => write.includes(v))
    )
      out.push('admission webhook write');
  }
  return [...new Set(out)];
}

export const k8sRbacRules: Rule[] = [
  {
    id: 'RT-K8S-16',
    title: 'Service account created in kube-system or kube-public',
    severity: 'Medium',
    tactic: 'Persistence',
    technique: 'T1136 Create Account',
    source: 'k8s-audit',
    resources: ['serviceaccounts'],
    falco: ['Service Account Created in Kube Namespace'],
    evidence: ['user', 'namespace', 'name'],
    remediation: 'Create service accounts in the workload namespace; review who created this one.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'serviceaccounts') || !verbIn(a, 'create') || !ok(a)) return undefined;
      if (!['kube-system', 'kube-public'].includes(namespace(a))) return undefined;
      if (ctx.list('known_kube_service_accounts').includes(targetName(a))) return undefined;
      return { evidence: basicEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-17',
    title: 'Binding to cluster-admin',
    severity: 'Medium',
    tactic: 'Privilege Escalation, Persistence',
    technique: ROLE_T,
    source: 'k8s-audit',
    resources: ['clusterrolebindings', 'rolebindings'],
    falco: ['Attach to cluster-admin Role'],
    defender: ['K8S_ClusterAdminBinding'],
    evidence: ['user', 'namespace', 'name', 'subjects'],
    remediation: 'Bind a narrower role; remove the cluster-admin binding if it is not an administrator.',
    when(e) {
      const a = complete(e);
      if (!a || !isResource(a, 'clusterrolebindings', 'rolebindings')) return undefined;
      if (!verbIn(a, 'create', 'update', 'patch')) return undefined;
      if (a.requestObject?.roleRef?.name !== 'cluster-admin') return undefined;
      return { evidence: { ...basicEvidence(a), subjects: a.requestObject?.subjects ?? [] } };
    },
  },
  {
    id: 'RT-K8S-18',
    title: 'Role with wildcard permissions created',
    severity: 'Medium',
    tactic: 'Privilege Escalation',
    technique: ROLE_T,
    source: 'k8s-audit',
    resources: ['roles', 'clusterroles'],
    falco: ['ClusterRole With Wildcard Created'],
    defender: ['K8S_HighPrivilegesRole'],
    evidence: ['user', 'name', 'resources', 'verbs'],
    remediation: ROLE_FIX,
    when(e) {
      const a = roleCreate(e);
      if (!a) return undefined;
      const { resources, verbs } = flattenRole(a.requestObject);
      return resources.includes('*') || verbs.includes('*') ? { evidence: roleEvidence(a) } : undefined;
    },
  },
  {
    id: 'RT-K8S-19',
    title: 'Role with write permissions created',
    severity: 'Low',
    tactic: 'Persistence',
    technique: ROLE_T,
    source: 'k8s-audit',
    resources: ['roles', 'clusterroles'],
    falco: ['ClusterRole With Write Privileges Created'],
    evidence: ['user', 'name', 'resources', 'verbs'],
    remediation: ROLE_FIX,
    when(e) {
      const a = roleCreate(e);
      if (!a) return undefined;
      const { verbs } = flattenRole(a.requestObject);
      const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];
      return verbs.some((v) => write.includes(v)) ? { evidence: roleEvidence(a) } : undefined;
    },
  },
  {
    id: 'RT-K8S-20',
    title: 'Role allowing exec into pods created',
    severity: 'Medium',
    tactic: 'Execution, Privilege Escalation',
    technique: 'T1609 Container Administration Command; T1098.006',
    source: 'k8s-audit',
    resources: ['roles', 'clusterroles'],
    falco: ['ClusterRole With Pod Exec Created'],
    defender: ['K8S_HighPrivilegesRole'],
    evidence: ['user', 'name', 'resources', 'verbs'],
    remediation: ROLE_FIX,
    when(e) {
      const a = roleCreate(e);
      if (!a) return undefined;
      return flattenRole(a.requestObject).resources.includes('pods/exec')
        ? { evidence: roleEvidence(a) }
        : undefined;
    },
  },
  {
    id: 'RT-K8S-21',
    title: 'Built-in system role modified or deleted',
    severity: 'Medium',
    tactic: 'Persistence, Defense Evasion',
    technique: ROLE_T,
    source: 'k8s-audit',
    resources: ['roles', 'clusterroles'],
    falco: ['System ClusterRole Modified/Deleted'],
    evidence: ['user', 'verb', 'name'],
    remediation:
      'Restore the system role from the cluster bootstrap (kubectl auth reconcile) and review the change.',
    when(e, ctx) {
      const a = complete(e);
      if (!a || !isResource(a, 'roles', 'clusterroles')) return undefined;
      if (!verbIn(a, 'create', 'update', 'patch', 'delete')) return undefined;
      const name = a.objectRef?.name ?? '';
      if (!name.startsWith('system:') || ctx.list('system_roles_allowed_changes').includes(name))
        return undefined;
      return { evidence: basicEvidence(a) };
    },
  },
  {
    id: 'RT-K8S-44',
    title: 'Role granting escalation-prone permissions',
    severity: 'Low',
    tactic: 'Privilege Escalation',
    technique: ROLE_T,
    source: 'k8s-audit',
    resources: ['roles', 'clusterroles'],
    defender: ['K8S_HighPrivilegesRole'],
    evidence: ['user', 'name', 'grants'],
    remediation: ROLE_FIX,
    when(e) {
      const a = complete(e);
      if (!a || !isResource(a, 'roles', 'clusterroles') || !verbIn(a, 'create', 'update', 'patch'))
        return undefined;
      const grants = escalationGrants(flattenRole(a.requestObject).rules);
      return grants.length > 0 ? { evidence: { ...basicEvidence(a), grants } } : undefined;
    },
  },
];
