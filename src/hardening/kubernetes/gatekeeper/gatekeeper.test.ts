import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Inventory } from '../inventory.js';
import { loadObjects } from '../objects/load.js';
import { celConstraintResults, compileCelConstraints } from './cel-constraints.js';
import { type Constraint, readConstraintDir } from './constraints.js';
import { constraintFindings, evaluateWithConstraints } from './evaluate.js';
import { constraintMatches } from './match.js';

const { objects } = loadObjects([
  {
    name: 'bundle.yaml',
    text: `apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {tier: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team-a, labels: {app: web}}
spec: {containers: [{name: c, image: docker.io/nginx:1, securityContext: {privileged: true}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: team-b}
spec: {containers: [{name: c, image: docker.io/nginx:1}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules: []
`,
  },
]);
const inventory = new Inventory(objects);
const [web, api, role] = [objects[2]!, objects[3]!, objects[4]!];

describe('constraintMatches', () => {
  it('applies kinds, namespace globs, exclusions, selectors and scope', () => {
    const m = (match: object) => [web, api, role].map((o) => constraintMatches(match, o, inventory));
    expect(m({ kinds: [{ apiGroups: [''], kinds: ['Pod'] }] })).toEqual([true, true, false]);
    expect(m({ namespaces: ['team-*'] })).toEqual([true, true, true]);
    expect(m({ excludedNamespaces: ['*-b'] })).toEqual([true, false, true]);
    expect(m({ labelSelector: { matchLabels: { app: 'web' } } })).toEqual([true, false, false]);
    expect(m({ namespaceSelector: { matchLabels: { tier: 'prod' } } })).toEqual([true, false, true]);
    expect(m({ scope: 'Cluster' })).toEqual([false, false, true]);
    expect(m({ scope: 'Namespaced', name: 'a*' })).toEqual([false, true, false]);
  });
});

describe('evaluateWithConstraints', () => {
  const constraint = (enforcementAction: Constraint['enforcementAction']): Constraint => ({
    kind: 'K8sPSPPrivilegedContainer',
    name: 'no-privileged',
    match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] },
    parameters: { exemptImages: [] },
    enforcementAction,
  });

  it('maps enforcementAction to the status and honours exceptions', () => {
    const status = (action: Constraint['enforcementAction']) =>
      evaluateWithConstraints(objects, { controls: [], constraints: [constraint(action)] }).results.find(
        (r) => r.resource.name === 'web',
      )?.status;
    expect([status('deny'), status('warn'), status('dryrun')]).toEqual(['fail', 'warn', 'info']);
    const suppressed = evaluateWithConstraints(objects, {
      controls: [],
      constraints: [constraint('deny')],
      exceptions: [{ id: 'K8S-POD-01', reason: 'accepted', namespaces: ['team-a'] }],
    }).results.find((r) => r.resource.name === 'web');
    expect(suppressed?.suppressedBy).toEqual({ reason: 'accepted' });
  });

  it('honours exemptImages', () => {
    const exempt = { ...constraint('deny'), parameters: { exemptImages: ['docker.io/*'] } };
    const r = evaluateWithConstraints(objects, { controls: [], constraints: [exempt] }).results.find(
      (x) => x.resource.name === 'web',
    );
    expect(r?.status).toBe('pass');
  });
});

describe('K8sHttpsOnly', () => {
  it('judges Ingresses only, as its template does, though K8S-NET-04 also judges LoadBalancer Services', () => {
    const {
      objects: [lb, ingress],
    } = loadObjects([
      {
        name: 'lb.yaml',
        text: 'apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: a}\nspec: {type: LoadBalancer, ports: [{port: 443}]}\n',
      },
      {
        name: 'ing.yaml',
        text: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing, namespace: a}\nspec: {rules: [{host: a.example.com}]}\n',
      },
    ]);
    const https: Constraint = {
      kind: 'K8sHttpsOnly',
      name: 'https-only',
      match: {},
      parameters: {},
      enforcementAction: 'deny',
    };
    const inv = new Inventory([lb!, ingress!]);
    expect(constraintFindings(https, lb!, inv)).toBeNull();
    expect(constraintFindings(https, ingress!, inv)?.map((f) => f.message)).toContain(
      'Ingress has no spec.tls',
    );
  });
});

describe('readConstraintDir', () => {
  it('runs CEL templates for any kind, native kinds natively, and lists Rego-only kinds as not evaluated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-gk-'));
    writeFileSync(
      join(dir, 'all.yaml'),
      `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: need-team}
spec: {parameters: {labels: [{key: team}]}}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: TeamOwnsNamespace
metadata: {name: owned}
spec: {}
---
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: maxreplicas}
spec:
  crd: {spec: {names: {kind: MaxReplicas}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: "!has(object.spec.replicas) || object.spec.replicas <= variables.params.max"
                messageExpression: '"replicas above " + string(variables.params.max)'
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: MaxReplicas
metadata: {name: at-most-3}
spec:
  match: {kinds: [{apiGroups: [apps], kinds: [Deployment]}]}
  parameters: {max: 3}
`,
    );
    const read = readConstraintDir(dir);
    expect(read.constraints.map((c) => c.kind)).toEqual(['K8sRequiredLabels']);
    expect(read.notImplemented.map((c) => c.kind)).toEqual(['TeamOwnsNamespace']);
    expect(read.celDocuments.map((d) => d.kind)).toEqual(['ConstraintTemplate', 'MaxReplicas']);

    const { objects: deployments } = loadObjects([
      {
        name: 'd.yaml',
        text: [5, 2]
          .map(
            (n) =>
              `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${n}, namespace: team-a}\nspec: {replicas: ${n}}\n`,
          )
          .join('---\n'),
      },
    ]);
    const results = celConstraintResults(
      [...deployments, web],
      compileCelConstraints(read.celDocuments),
      new Inventory([...objects, ...deployments]),
    );
    expect(results.map((r) => [r.control, r.resource.name, r.status, r.message])).toEqual([
      ['MaxReplicas/at-most-3', 'd5', 'fail', 'replicas above 3'],
      ['MaxReplicas/at-most-3', 'd2', 'pass', 'passed'],
    ]);
  });

  it('refuses a template whose CEL does not compile, naming it', () => {
    expect(() =>
      compileCelConstraints([
        {
          apiVersion: 'templates.gatekeeper.sh/v1',
          kind: 'ConstraintTemplate',
          metadata: { name: 'broken' },
          spec: {
            crd: { spec: { names: { kind: 'Broken' } } },
            targets: [
              {
                code: [
                  { engine: 'K8sNativeValidation', source: { validations: [{ expression: 'object.' }] } },
                ],
              },
            ],
          },
        },
      ]),
    ).toThrow(/ConstraintTemplate\/broken/);
  });
});
