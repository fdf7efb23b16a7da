import type { Inventory } from './inventory.js';
import { isRecord } from './objects/load.js';
import type { Json, KubeObject, LoadedObject } from './objects/types.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A binding resolved to the rules it grants. */
export interface Grant {
  binding: LoadedObject;
  roleRef: { kind: string; name: string };
  subjects: Subject[];
  rules: PolicyRule[];
  /** Namespace the grant applies in; undefined for ClusterRoleBindings (all namespaces). */
  namespace?: string;
}

const ALL: PolicyRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: [] };

/** Default ClusterRoles a cluster always has, used when the inventory does not carry them. */
const BUILTIN: Readonly<Record<string, PolicyRule[]>> = {
  'cluster-admin': [ALL],
  admin: [
    {
      apiGroups: [''],
      resources: [
        'pods',
        'pods/exec',
        'pods/attach',
        'pods/portforward',
        'secrets',
        'services',
        'configmaps',
      ],
      verbs: ['*'],
      resourceNames: [],
    },
    { apiGroups: ['apps', 'batch'], resources: ['*'], verbs: ['*'], resourceNames: [] },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['roles', 'rolebindings'],
      verbs: ['*'],
      resourceNames: [],
    },
  ],
  edit: [
    {
      apiGroups: [''],
      resources: [
        'pods',
        'pods/exec',
        'pods/attach',
        'pods/portforward',
        'secrets',
        'services',
        'configmaps',
      ],
      verbs: ['*'],
      resourceNames: [],
    },
    { apiGroups: ['apps', 'batch'], resources: ['*'], verbs: ['*'], resourceNames: [] },
  ],
  view: [
    {
      apiGroups: ['', 'apps', 'batch'],
      resources: ['pods', 'services', 'configmaps', 'deployments'],
      verbs: ['get', 'list', 'watch'],
      resourceNames: [],
    },
  ],
};

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  if (!role || !Array.isArray(role.rules)) return [];
  return role.rules.filter(isRecord).map((r: Json) => ({
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    verbs: strings(r.verbs),
    resourceNames: strings(r.resourceNames),
  }));
}

function matches(list: string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

function resourceMatches(list: string[], resource: string): boolean {
  if (list.includes('*') || list.includes(resource)) return true;
  const [base, sub] = resource.split('/');
  return sub !== undefined && list.includes(`${base}/*`);
}

/** Does any rule allow `verb` on `resource` (e.g. 'pods/exec') in `group`? */
export function allows(
  rules: readonly PolicyRule[],
  verb: string,
  resource: string,
  group?: string,
  resourceName?: string,
): boolean {
  return rules.some(
    (r) =>
      matches(r.verbs, verb) &&
      resourceMatches(r.resources, resource) &&
      (group === undefined || matches(r.apiGroups, group)) &&
      (r.resourceNames.length === 0 || resourceName === undefined || r.resourceNames.includes(resourceName)),
  );
}

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** All verbs (`*` or every write and read verb) on all resources of all groups. */
export function isWildcardAll(rules: readonly PolicyRule[]): boolean {
  return rules.some(
    (r) =>
      (r.verbs.includes('*') || ALL_VERBS.every((v) => r.verbs.includes(v))) &&
      r.resources.includes('*') &&
      r.apiGroups.includes('*'),
  );
}

/**
 * Subjects that are Kubernetes' own components: `system:` users and groups (not the anonymous, all-authenticated
 * or masters groups). ServiceAccounts count as workloads wherever they live, kube-system included.
 */
export function isSystemSubject(s: Subject): boolean {
  return (
    s.kind !== 'ServiceAccount' &&
    s.name.startsWith('system:') &&
    !['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:masters'].includes(s.name)
  );
}

/** Resolve one binding to its role rules (from the inventory, else the built-in defaults). */
export function grantOf(binding: LoadedObject, inventory: Inventory): Grant | undefined {
  const o = binding.object;
  if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return undefined;
  const ref = isRecord(o.roleRef) ? o.roleRef : {};
  const roleRef = { kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
  const namespace = o.kind === 'RoleBinding' ? (o.metadata.namespace ?? 'default') : undefined;
  // a ClusterRoleBinding can only reference a ClusterRole; anything else grants nothing
  if (o.kind === 'ClusterRoleBinding' && roleRef.kind !== 'ClusterRole')
    return { binding, roleRef, subjects: [], rules: [] };
  const role =
    roleRef.kind === 'Role'
      ? inventory.find('Role', roleRef.name, namespace)
      : inventory.find('ClusterRole', roleRef.name);
  const rules = role ? rulesOf(role) : roleRef.kind === 'ClusterRole' ? (BUILTIN[roleRef.name] ?? []) : [];
  const subjects = (Array.isArray(o.subjects) ? o.subjects : []).filter(isRecord).map((s) => ({
    kind: String(s.kind ?? ''),
    name: String(s.name ?? ''),
    ...(typeof s.namespace === 'string'
      ? { namespace: s.namespace }
      : s.kind === 'ServiceAccount' && namespace
        ? { namespace }
        : {}),
  }));
  return { binding, roleRef, subjects, rules, ...(namespace ? { namespace } : {}) };
}

/** Every binding of the inventory resolved, computed once. */
export function grants(inventory: Inventory): Grant[] {
  return inventory.cached('rbac-grants', () =>
    inventory
      .ofKind('RoleBinding', 'ClusterRoleBinding')
      .map((b) => grantOf(b, inventory))
      .filter((g): g is Grant => g !== undefined),
  );
}

/** Grants that reach a ServiceAccount. */
export function grantsForServiceAccount(inventory: Inventory, namespace: string, name: string): Grant[] {
  return grants(inventory).filter((g) =>
    g.subjects.some(
      (s) =>
        (s.kind === 'ServiceAccount' && s.name === name && (s.namespace ?? g.namespace) === namespace) ||
        (s.kind === 'Group' &&
          (s.name === 'system:serviceaccounts' || s.name === `system:serviceaccounts:${namespace}`)),
    ),
  );
}

export function subjectLabel(s: Subject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}
