import { selects } from './controls/helpers.js';
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

/**
 * Bootstrap ClusterRoles whose rules are modelled: the API server recreates them at start-up and adds back any
 * rule they lost (it keeps rules an object of the same name adds), so a same-named object in the input can widen
 * them, never narrow them. Other bootstrap roles (`system:*`) are judged by what the input says of them.
 */
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

/**
 * Resolve one binding to its role rules (clusterRoleRules). `clusterState`: the input is the cluster's own export
 * (parameter inputIsClusterState).
 */
export function grantOf(
  binding: LoadedObject,
  inventory: Inventory,
  clusterState = false,
): Grant | undefined {
  const o = binding.object;
  if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return undefined;
  const ref = isRecord(o.roleRef) ? o.roleRef : {};
  const roleRef = { kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
  const namespace = o.kind === 'RoleBinding' ? (o.metadata.namespace ?? 'default') : undefined;
  // a ClusterRoleBinding can only reference a ClusterRole; anything else grants nothing
  if (o.kind === 'ClusterRoleBinding' && roleRef.kind !== 'ClusterRole')
    return { binding, roleRef, subjects: [], rules: [] };
  const rules =
    roleRef.kind === 'Role'
      ? rulesOf(inventory.find('Role', roleRef.name, namespace))
      : roleRef.kind === 'ClusterRole'
        ? clusterRoleRules(roleRef.name, inventory, clusterState)
        : [];
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

/**
 * The rules a ClusterRole holds on a cluster: a bootstrap role's own rules whatever a same-named object in the files
 * says, plus that object's rules, plus (aggregated roles) the rules of every ClusterRole its selectors pick — for
 * admin, edit and view, the ClusterRoles labelled `rbac.authorization.k8s.io/aggregate-to-<name>: "true"`.
 * An object read from a live cluster, or from an input that is the cluster's export (`clusterState`), is the role
 * as the cluster holds it: its rules replace the modelled ones.
 */
export function clusterRoleRules(name: string, inventory: Inventory, clusterState = false): PolicyRule[] {
  const item = inventory.findItem('ClusterRole', name);
  const role = item?.object;
  const live = item?.source.file === 'cluster' || item?.source.file?.startsWith('cluster:') === true;
  const authoritative = item !== undefined && (clusterState || live);
  const selectors: unknown[] = AGGREGATED.includes(name)
    ? [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${name}`]: 'true' } }]
    : [];
  const rule = role && isRecord(role.aggregationRule) ? role.aggregationRule : undefined;
  if (rule && Array.isArray(rule.clusterRoleSelectors)) selectors.push(...rule.clusterRoleSelectors);
  const aggregated = selectors.length
    ? inventory
        .ofKind('ClusterRole')
        .filter(
          (c) =>
            c.object.metadata.name !== name &&
            selectors.some((sel) => selects(sel, c.object.metadata.labels ?? {})),
        )
        .flatMap((c) => rulesOf(c.object))
    : [];
  return [...(authoritative ? [] : (BUILTIN[name] ?? [])), ...rulesOf(role), ...aggregated];
}

/** Bootstrap roles that aggregate the ClusterRoles labelled for them. */
const AGGREGATED = ['admin', 'edit', 'view'];

/** Every binding of the inventory resolved, computed once. */
export function grants(inventory: Inventory, clusterState = false): Grant[] {
  return inventory.cached(`rbac-grants:${clusterState}`, () =>
    inventory
      .ofKind('RoleBinding', 'ClusterRoleBinding')
      .map((b) => grantOf(b, inventory, clusterState))
      .filter((g): g is Grant => g !== undefined),
  );
}

/** Grants that reach a ServiceAccount. */
export function grantsForServiceAccount(
  inventory: Inventory,
  namespace: string,
  name: string,
  clusterState = false,
): Grant[] {
  return grants(inventory, clusterState).filter((g) =>
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
