import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { Inventory } from './inventory.js';
import { loadObjects } from './objects/load.js';
import type { LoadedObject } from './objects/types.js';
import { parametersSchema } from './parameters/schema.js';
import { allows, clusterRoleRules } from './rbac.js';

function load(text: string): LoadedObject[] {
  const { objects, errors } = loadObjects([{ name: 'rbac.yaml', text }]);
  expect(errors).toEqual([]);
  return objects;
}

const binding = (role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`;

const narrowClusterAdmin = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]
`;

describe('bootstrap ClusterRoles', () => {
  it('are judged by name: a same-named object in the files does not narrow them', () => {
    const objects = load(binding('cluster-admin') + narrowClusterAdmin);
    const [r] = evaluate(objects.slice(0, 1), { controls: ['K8S-RBAC-01'], context: objects.slice(1) });
    expect(r).toMatchObject({ status: 'fail' });
    expect(r!.message).toContain('through ClusterRole cluster-admin');
  });

  it('a same-named object adds its rules (the API server keeps them)', () => {
    const objects = load(`${binding('view')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]
`);
    const [r] = evaluate(objects.slice(0, 1), { controls: ['K8S-RBAC-03'], context: objects.slice(1) });
    expect(r!.status).toBe('fail');
  });

  it('take the object when the input is the cluster state, or read from a live cluster', () => {
    const objects = load(binding('cluster-admin') + narrowClusterAdmin);
    const parameters = parametersSchema.parse({ inputIsClusterState: true });
    const run = (context: LoadedObject[], p = parametersSchema.parse({})) =>
      evaluate(objects.slice(0, 1), { controls: ['K8S-RBAC-01'], context, parameters: p })[0]!.status;
    expect(run(objects.slice(1), parameters)).toBe('pass');
    const live = objects
      .slice(1)
      .map((o) => ({ ...o, source: { file: 'cluster:/apis/rbac.authorization.k8s.io/v1/clusterroles' } }));
    expect(run(live)).toBe('pass');
  });

  it('admin, edit and view aggregate the ClusterRoles labelled for them; a user role does not', () => {
    const inventory = new Inventory(
      load(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crd-editor
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {team: obs}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: obs-reader, labels: {team: obs}}
rules: [{apiGroups: [''], resources: [secrets], verbs: [get]}]
`),
    );
    expect(allows(clusterRoleRules('edit', inventory), 'create', 'widgets', 'example.com')).toBe(true);
    expect(allows(clusterRoleRules('view', inventory), 'create', 'widgets', 'example.com')).toBe(false);
    expect(allows(clusterRoleRules('monitoring', inventory), 'get', 'secrets', '')).toBe(true);
    expect(clusterRoleRules('system:metrics-server', inventory)).toEqual([]);
  });
});
