import { podSpecOf } from '../objects/pod-spec.js';
import type { LoadedObject } from '../objects/types.js';
import {
  allows,
  grantOf,
  grantsForServiceAccount,
  isSystemSubject,
  isWildcardAll,
  type PolicyRule,
  rulesOf,
  subjectLabel,
} from '../rbac.js';
import { finding, get, isRecord, ns, onKinds, str } from './helpers.js';
import type { Control, ControlFailure, EvalContext } from './types.js';

const BINDINGS = ['RoleBinding', 'ClusterRoleBinding'];
const ROLES = ['Role', 'ClusterRole'];

/** A control over what a binding grants to non-system subjects. */
function bindingGrants(test: (rules: PolicyRule[], namespace: string | undefined) => string | undefined) {
  return (item: LoadedObject, ctx: EvalContext): ControlFailure[] | null => {
    const g = grantOf(item, ctx.inventory, ctx.params.inputIsClusterState);
    if (!g) return null;
    const subjects = g.subjects.filter((s) => !isSystemSubject(s));
    if (subjects.length === 0) return [];
    const what = test(g.rules, g.namespace);
    return what
      ? [
          finding(
            `${subjects.map(subjectLabel).join(', ')} ${what} through ${g.roleRef.kind} ${g.roleRef.name}`,
            'subjects',
          ),
        ]
      : [];
  };
}

function anyVerb(
  rules: PolicyRule[],
  verbs: string[],
  resources: string[],
  group?: string,
): string | undefined {
  for (const r of resources)
    for (const v of verbs)
      if (allows(rules, v, r, group ?? GROUP_OF[r.split('/')[0]!])) return `can ${v} ${r}`;
  return undefined;
}

/** API group of the resources the RBAC rows name (rules for another group do not grant them). */
const GROUP_OF: Readonly<Record<string, string>> = {
  pods: '',
  secrets: '',
  namespaces: '',
  events: '',
  configmaps: '',
  persistentvolumes: '',
  replicationcontrollers: '',
  serviceaccounts: '',
  nodes: '',
  deployments: 'apps',
  daemonsets: 'apps',
  statefulsets: 'apps',
  replicasets: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
};

const WORKLOAD_RESOURCES = [
  'pods',
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'replicationcontrollers',
];
const ANONYMOUS = ['system:anonymous', 'system:unauthenticated', 'system:authenticated'];

/** Cluster takeover: all permissions, creating pods (any ServiceAccount's token), or RBAC escalation. */
function adminLike(rules: PolicyRule[]): string | undefined {
  if (isWildcardAll(rules)) return 'has all permissions';
  return (
    anyVerb(rules, ['create'], ['pods'], '') ??
    anyVerb(rules, ['escalate', 'bind', 'impersonate'], ['*', 'clusterroles', 'roles', 'users', 'groups'])
  );
}

export const rbacControls: readonly Control[] = [
  {
    id: 'K8S-RBAC-01',
    title: 'cluster-admin bound',
    severity: 'HIGH',
    standards: ['cis', 'nsa', 'best-practices'],
    scope: 'C',
    version: 2,
    remediation: 'Bind narrower roles; keep cluster-admin for break-glass accounts only.',
    check: bindingGrants((rules) =>
      isWildcardAll(rules) ? 'holds cluster-admin (all verbs on all resources)' : undefined,
    ),
  },
  {
    id: 'K8S-RBAC-02',
    title: 'Wildcards in roles',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'M',
    version: 1,
    remediation: 'List the API groups, resources and verbs a role needs instead of *.',
    check: onKinds(ROLES, (o) => {
      const out: ControlFailure[] = [];
      rulesOf(o).forEach((r, i) => {
        for (const key of ['apiGroups', 'resources', 'verbs'] as const)
          if (r[key].includes('*')) out.push(finding(`rule ${i} uses * in ${key}`, `rules[${i}].${key}`));
      });
      return out;
    }),
  },
  {
    id: 'K8S-RBAC-03',
    title: 'Access to Secrets',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Remove get/list/watch on secrets from roles bound to people and applications.',
    check: bindingGrants((rules) => anyVerb(rules, ['get', 'list', 'watch'], ['secrets'], '')),
  },
  {
    id: 'K8S-RBAC-04',
    title: 'Can create pods',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Limit create on pods and pod controllers to deployment pipelines.',
    check: bindingGrants((rules) => anyVerb(rules, ['create'], WORKLOAD_RESOURCES)),
  },
  {
    id: 'K8S-RBAC-05',
    title: 'exec/attach into pods',
    severity: 'HIGH',
    standards: ['best-practices'],
    scope: 'C',
    version: 2,
    remediation: 'Remove pods/exec and pods/attach from roles, or restrict them to operators.',
    check: (item, ctx) => {
      if (ROLES.includes(item.object.kind)) {
        const what = anyVerb(rulesOf(item.object), ['create', 'get'], ['pods/exec', 'pods/attach'], '');
        return what ? [finding(`role ${what}`, 'rules')] : [];
      }
      return bindingGrants((rules) => anyVerb(rules, ['create', 'get'], ['pods/exec', 'pods/attach'], ''))(
        item,
        ctx,
      );
    },
  },
  {
    id: 'K8S-RBAC-06',
    title: 'Port-forward permission',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 2,
    remediation: 'Remove create on pods/portforward from roles bound to users.',
    check: bindingGrants((rules) => anyVerb(rules, ['create', 'get'], ['pods/portforward'], '')),
  },
  {
    id: 'K8S-RBAC-07',
    title: 'bind / escalate / impersonate',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Remove the bind, escalate and impersonate verbs from roles bound to users.',
    check: bindingGrants((rules) => {
      const r = rules.find(
        (x) =>
          x.verbs.some((v) => v === 'bind' || v === 'escalate' || v === 'impersonate' || v === '*') &&
          x.resources.some((res) =>
            /^(\*|roles|clusterroles|users|groups|serviceaccounts|userextras\/.*|uids)$/.test(res),
          ),
      );
      return r ? `can ${r.verbs.join('/')} ${r.resources.join(',')}` : undefined;
    }),
  },
  {
    id: 'K8S-RBAC-08',
    title: 'Destructive permissions',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 2,
    remediation: 'Remove delete/deletecollection on workloads, secrets, namespaces and events.',
    check: bindingGrants((rules) =>
      anyVerb(
        rules,
        ['delete', 'deletecollection'],
        [...WORKLOAD_RESOURCES, 'secrets', 'namespaces', 'events'],
      ),
    ),
  },
  {
    id: 'K8S-RBAC-09',
    title: 'system:masters used',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Do not bind or issue credentials for the system:masters group; it bypasses RBAC.',
    check: (item, ctx) => {
      const g = grantOf(item, ctx.inventory, ctx.params.inputIsClusterState);
      if (!g) return null;
      return g.subjects.some((s) => s.name === 'system:masters')
        ? [finding('binding grants to group system:masters', 'subjects')]
        : [];
    },
  },
  {
    id: 'K8S-RBAC-10',
    title: 'Can create PersistentVolumes',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Restrict create on persistentvolumes to storage administrators.',
    check: bindingGrants((rules) => anyVerb(rules, ['create'], ['persistentvolumes'], '')),
  },
  {
    id: 'K8S-RBAC-11',
    title: 'nodes/proxy access',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Remove access to nodes/proxy; it reaches the kubelet API directly.',
    check: bindingGrants((rules) =>
      anyVerb(rules, ['get', 'create', 'update', 'patch'], ['nodes/proxy'], ''),
    ),
  },
  {
    id: 'K8S-RBAC-12',
    title: 'CSR approval access',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Restrict update on certificatesigningrequests/approval.',
    check: bindingGrants((rules) =>
      anyVerb(rules, ['update', 'patch'], ['certificatesigningrequests/approval'], 'certificates.k8s.io'),
    ),
  },
  {
    id: 'K8S-RBAC-13',
    title: 'Webhook configuration access',
    severity: 'HIGH',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Restrict write access to validating and mutating webhook configurations.',
    check: bindingGrants((rules) =>
      anyVerb(
        rules,
        ['create', 'update', 'patch', 'delete'],
        ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
        'admissionregistration.k8s.io',
      ),
    ),
  },
  {
    id: 'K8S-RBAC-14',
    title: 'ServiceAccount token creation',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'C',
    version: 2,
    remediation: 'Restrict create on serviceaccounts/token.',
    check: bindingGrants((rules) => anyVerb(rules, ['create'], ['serviceaccounts/token'], '')),
  },
  {
    id: 'K8S-RBAC-15',
    title: 'Anonymous / all-authenticated bindings',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Do not bind system:anonymous, system:unauthenticated or system:authenticated to roles beyond discovery.',
    check: onKinds(BINDINGS, (o, _i, ctx) => {
      const role = str(get(o, 'roleRef', 'name')) ?? '';
      if (ctx.params.anonymousAllowedRoles.includes(role)) return [];
      const watched = ctx.params.disallowAuthenticated
        ? ANONYMOUS
        : ANONYMOUS.filter((s) => s !== 'system:authenticated');
      const subjects = (Array.isArray(o.subjects) ? o.subjects : [])
        .filter(isRecord)
        .map((s) => String(s.name));
      const hit = subjects.filter((s) => watched.includes(s));
      return hit.length ? [finding(`${hit.join(', ')} bound to ${role}`, 'subjects')] : [];
    }),
  },
  {
    id: 'K8S-RBAC-16',
    title: 'Endpoint edit in aggregate-to-edit (CVE-2021-25740)',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Remove create/patch/update on endpoints and endpointslices from system:aggregate-to-edit.',
    check: onKinds(['ClusterRole'], (o) => {
      if (o.metadata.name !== 'system:aggregate-to-edit') return [];
      const what = anyVerb(rulesOf(o), ['create', 'patch', 'update'], ['endpoints', 'endpointslices']);
      return what ? [finding(`system:aggregate-to-edit ${what}`, 'rules')] : [];
    }),
  },
  {
    id: 'K8S-RBAC-17',
    title: 'Workload runs with powerful RBAC',
    severity: 'HIGH',
    standards: [],
    scope: 'C',
    version: 2,
    remediation: 'Run the workload with a ServiceAccount bound only to what it needs.',
    check: (item, ctx) => {
      const pod = podSpecOf(item.object);
      if (!pod) return null;
      const sa = str(pod.spec.serviceAccountName) ?? str(pod.spec.serviceAccount) ?? 'default';
      const namespace = ns(item.object);
      for (const g of grantsForServiceAccount(ctx.inventory, namespace, sa, ctx.params.inputIsClusterState)) {
        const what = adminLike(g.rules);
        if (what)
          return [
            finding(
              `ServiceAccount ${namespace}/${sa} ${what} through ${g.roleRef.kind} ${g.roleRef.name}`,
              `${pod.path}.serviceAccountName`,
            ),
          ];
      }
      return [];
    },
  },
  {
    id: 'K8S-RBAC-18',
    title: 'CoreDNS configuration writable',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 2,
    remediation: 'Remove update/patch on the coredns ConfigMap in kube-system.',
    check: (item, ctx) => {
      const g = grantOf(item, ctx.inventory, ctx.params.inputIsClusterState);
      if (!g) return null;
      if (g.namespace !== undefined && g.namespace !== 'kube-system') return [];
      const subjects = g.subjects.filter((s) => !isSystemSubject(s));
      const writes = ['update', 'patch'].some((v) => allows(g.rules, v, 'configmaps', '', 'coredns'));
      return subjects.length && writes
        ? [finding(`${subjects.map(subjectLabel).join(', ')} can modify the coredns ConfigMap`, 'subjects')]
        : [];
    },
  },
  {
    id: 'K8S-RBAC-19',
    title: 'Weak user authentication methods',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 1,
    remediation:
      'Authenticate people through OIDC or a cloud identity provider; remove static token files and bootstrap tokens.',
    check: onKinds(['Cluster'], (_o, _i, ctx) => {
      const out: ControlFailure[] = [];
      const bootstrap = ctx.inventory
        .ofKind('Secret')
        .filter((s) => s.object.type === 'bootstrap.kubernetes.io/token');
      if (bootstrap.length) out.push(finding(`${bootstrap.length} bootstrap token Secret(s) exist`));
      for (const csr of ctx.inventory.ofKind('CertificateSigningRequest')) {
        const user = str(get(csr.object, 'spec', 'username')) ?? '';
        if (
          get(csr.object, 'spec', 'signerName') === 'kubernetes.io/kube-apiserver-client' &&
          !user.startsWith('system:')
        )
          out.push(finding(`client certificate requested for user ${user}`));
      }
      return out;
    }),
  },
  {
    id: 'K8S-RBAC-20',
    title: 'Direct node edits',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Change nodes through the node pool or cloud provider, not by editing Node objects.',
    check: (item, ctx) => {
      if (item.object.kind !== 'Node' || item.admission?.operation !== 'UPDATE') return null;
      const user = item.admission.userInfo?.username ?? '';
      const allowed = user.startsWith('system:node:') || ctx.params.allowedNodeEditors.includes(user);
      return allowed ? [] : [finding(`Node updated by ${user || 'an unknown user'}`)];
    },
  },
];
