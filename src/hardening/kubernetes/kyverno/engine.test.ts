import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, LoadedObject } from '../objects/types.js';
import { evaluateKyvernoPolicy } from './engine.js';
import { parseKyvernoPolicy } from './policy.js';

function policy(rules: string, extra = ''): ReturnType<typeof parseKyvernoPolicy> {
  const spec = parse(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
${extra}
spec:
  validationFailureAction: Enforce
  rules:
${rules}`) as KubeObject;
  return parseKyvernoPolicy(spec);
}

const item = (
  object: unknown,
  operation?: string,
  userInfo?: { username?: string; groups?: string[] },
): LoadedObject => ({
  object: object as KubeObject,
  source: {},
  ...(operation
    ? { admission: { apiVersion: 'admission.k8s.io/v1', operation, ...(userInfo ? { userInfo } : {}) } }
    : {}),
});

const pod = (spec: unknown, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'x', namespace: 'ns', ...metadata },
  spec,
});

const status = (p: ReturnType<typeof policy>, o: unknown, op?: string) =>
  evaluateKyvernoPolicy(p, item(o, op)).map((r) => r.status);

const onPods = (validate: string, more = '') => `  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
${more}    validate:
${validate}`;

describe('Kyverno patterns', () => {
  it('conditional anchor: containers with the condition must match; none matching is a skip', () => {
    const p = policy(
      onPods(`      pattern:
        spec:
          containers:
          - (name): "app-*"
            image: "!*:latest"`),
    );
    expect(status(p, pod({ containers: [{ name: 'app-1', image: 'a:latest' }] }))).toEqual(['fail']);
    expect(
      status(
        p,
        pod({
          containers: [
            { name: 'app-1', image: 'a:1' },
            { name: 'side', image: 'b:latest' },
          ],
        }),
      ),
    ).toEqual(['pass']);
    expect(status(p, pod({ containers: [{ name: 'side', image: 'b:latest' }] }))).toEqual(['skip']);
  });

  it('global anchor skips the whole rule when its condition fails', () => {
    const p = policy(
      onPods(`      pattern:
        spec:
          containers:
          - <(image): "registry.local/*"
            imagePullPolicy: Always`),
    );
    expect(status(p, pod({ containers: [{ image: 'docker.io/a', imagePullPolicy: 'Never' }] }))).toEqual([
      'skip',
    ]);
    expect(status(p, pod({ containers: [{ image: 'registry.local/a', imagePullPolicy: 'Never' }] }))).toEqual(
      ['fail'],
    );
  });

  it('equality, negation, existence and add-if-absent anchors', () => {
    const p = policy(
      onPods(`      pattern:
        spec:
          =(hostNetwork): false
          X(hostIPC): null
          +(dnsPolicy): Default
          ^(containers):
          - securityContext:
              runAsNonRoot: true`),
    );
    const ok = { containers: [{ securityContext: { runAsNonRoot: true } }, { name: 'b' }] };
    expect(status(p, pod(ok))).toEqual(['pass']);
    expect(status(p, pod({ ...ok, hostNetwork: true }))).toEqual(['fail']);
    expect(status(p, pod({ ...ok, hostIPC: false }))).toEqual(['fail']);
    expect(status(p, pod({ containers: [{ name: 'b' }] }))).toEqual(['fail']);
  });

  it('operators, ranges, alternatives, quantities and wildcards in values', () => {
    const p = policy(
      onPods(`      pattern:
        spec:
          containers:
          - resources:
              limits:
                memory: "<=1Gi"
                cpu: "?*"
            ports:
            - containerPort: "1024-65535 | 80"
            image: "*/*:v*"`),
    );
    const c = (memory: string, port: number, image = 'r/a:v1') => ({
      containers: [{ image, resources: { limits: { memory, cpu: '1' } }, ports: [{ containerPort: port }] }],
    });
    expect(status(p, pod(c('512Mi', 8080)))).toEqual(['pass']);
    expect(status(p, pod(c('512Mi', 80)))).toEqual(['pass']);
    expect(status(p, pod(c('2Gi', 8080)))).toEqual(['fail']);
    expect(status(p, pod(c('512Mi', 22)))).toEqual(['fail']);
    expect(status(p, pod(c('512Mi', 8080, 'a:1')))).toEqual(['fail']);
  });

  it('wildcard keys under metadata labels and annotations', () => {
    const p = policy(
      onPods(`      pattern:
        metadata:
          labels:
            app.kubernetes.io/*: "?*"`),
    );
    expect(status(p, pod({}, { labels: { 'app.kubernetes.io/name': 'a' } }))).toEqual(['pass']);
    expect(status(p, pod({}, { labels: { 'app.kubernetes.io/name': '' } }))).toEqual(['fail']);
    expect(status(p, pod({}, { labels: { other: 'a' } }))).toEqual(['fail']);
  });

  it('anyPattern passes when one pattern matches', () => {
    const p = policy(
      onPods(`      anyPattern:
      - spec:
          securityContext:
            runAsNonRoot: true
      - spec:
          containers:
          - securityContext:
              runAsNonRoot: true`),
    );
    expect(status(p, pod({ securityContext: { runAsNonRoot: true }, containers: [{}] }))).toEqual(['pass']);
    expect(status(p, pod({ containers: [{ securityContext: { runAsNonRoot: true } }] }))).toEqual(['pass']);
    expect(status(p, pod({ containers: [{}] }))).toEqual(['fail']);
  });
});

describe('Kyverno conditions, foreach and subrules', () => {
  it('deny conditions with JMESPath and preconditions on the operation', () => {
    const p = policy(
      onPods(
        `      message: "{{ request.object.metadata.name }} uses a host port"
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.containers[].ports[].hostPort || \`[]\` | length(@) }}"
            operator: GreaterThan
            value: 0`,
        `    preconditions:
      all:
      - key: "{{ request.operation || 'BACKGROUND' }}"
        operator: AnyIn
        value: [CREATE, UPDATE, BACKGROUND]
`,
      ),
    );
    const host = pod({ containers: [{ ports: [{ hostPort: 80 }] }] });
    expect(status(p, host)).toEqual(['fail']);
    expect(evaluateKyvernoPolicy(p, item(host))[0]!.message).toContain('x uses a host port');
    expect(status(p, host, 'DELETE')).toEqual(['skip']);
    expect(status(p, pod({ containers: [{ ports: [{ containerPort: 80 }] }] }))).toEqual(['pass']);
  });

  it('foreach over containers with element preconditions and nested deny', () => {
    const p = policy(
      onPods(`      foreach:
      - list: request.object.spec.[initContainers, containers][]
        preconditions:
          all:
          - key: "{{ element.name }}"
            operator: NotEquals
            value: "istio-*"
        deny:
          conditions:
            all:
            - key: ALL
              operator: AnyNotIn
              value: "{{ element.securityContext.capabilities.drop[].to_upper(@) || \`[]\` }}"`),
    );
    const drop = (name: string, d?: string[]) => ({
      name,
      securityContext: { capabilities: d ? { drop: d } : {} },
    });
    expect(status(p, pod({ containers: [drop('a', ['all'])] }))).toEqual(['pass']);
    expect(status(p, pod({ containers: [drop('a', ['all']), drop('b')] }))).toEqual(['fail']);
    expect(status(p, pod({ containers: [drop('istio-proxy')] }))).toEqual(['skip']);
  });

  it('podSecurity subrule with per-control exclusions by image', () => {
    const p = policy(
      onPods(`      podSecurity:
        level: baseline
        version: latest
        exclude:
        - controlName: Capabilities
          images: ["trusted/*"]`),
    );
    const cap = (image: string) => ({
      containers: [{ name: 'c', image, securityContext: { capabilities: { add: ['NET_ADMIN'] } } }],
    });
    expect(status(p, pod(cap('trusted/x')))).toEqual(['pass']);
    expect(status(p, pod(cap('other/x')))).toEqual(['fail']);
    expect(status(p, pod({ containers: [{ name: 'c', image: 'a' }], hostPID: true }))).toEqual(['fail']);
  });

  it('validate.cel runs through the CEL engine', () => {
    const p = policy(
      onPods(`      cel:
        expressions:
        - expression: "object.spec.containers.all(c, has(c.image) && !c.image.endsWith(':latest'))"
          message: no latest`),
    );
    expect(status(p, pod({ containers: [{ image: 'a:1' }] }))).toEqual(['pass']);
    const r = evaluateKyvernoPolicy(p, item(pod({ containers: [{ image: 'a:latest' }] })));
    expect(r[0]).toMatchObject({ status: 'fail', failureAction: 'Enforce' });
    expect(r[0]!.message).toContain('no latest');
  });
});

describe('Kyverno match, exclude and policy settings', () => {
  const rule = (match: string, exclude = '') => `  - name: r
    match:
${match}
${exclude}    validate:
      pattern:
        metadata:
          labels:
            team: "?*"`;

  it('kinds with groups and versions, namespaces, selectors, operations and subjects', () => {
    const p = policy(
      rule(`      any:
      - resources:
          kinds: [apps/v1/Deployment, Pod]
          namespaces: ["prod-*"]
          operations: [CREATE]
          selector:
            matchExpressions:
            - {key: tier, operator: In, values: [web]}`),
    );
    const o = (kind: string, ns: string, labels: Record<string, string>) => ({
      apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
      kind,
      metadata: { name: 'a', namespace: ns, labels },
      spec: {},
    });
    expect(status(p, o('Pod', 'prod-1', { tier: 'web' }), 'CREATE')).toEqual(['fail']);
    expect(status(p, o('Pod', 'prod-1', { tier: 'web', team: 't' }), 'CREATE')).toEqual(['pass']);
    expect(status(p, o('Pod', 'dev', { tier: 'web' }), 'CREATE')).toEqual([]);
    expect(status(p, o('Pod', 'prod-1', { tier: 'db' }), 'CREATE')).toEqual([]);
    expect(status(p, o('Pod', 'prod-1', { tier: 'web' }), 'UPDATE')).toEqual([]);
    expect(status(p, o('Deployment', 'prod-1', { tier: 'web' }), 'CREATE')).toEqual(['fail']);

    const q = policy(
      rule(
        `      any:
      - resources:
          kinds: [Pod]`,
        `    exclude:
      any:
      - subjects:
        - kind: Group
          name: "system:masters"
`,
      ),
    );
    const bare = pod({});
    expect(evaluateKyvernoPolicy(q, item(bare, 'CREATE', { groups: ['system:masters'] }))).toEqual([]);
    expect(
      evaluateKyvernoPolicy(q, item(bare, 'CREATE', { username: 'u', groups: ['dev'] }))[0]!.status,
    ).toBe('fail');
  });

  it('applies Pod rules to pod controllers through autogen, unless the policy turns it off', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns', labels: { team: 'x' } },
      spec: { template: { metadata: { labels: {} }, spec: { containers: [] } } },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'ns' },
      spec: { jobTemplate: { spec: { template: { metadata: { labels: { team: 't' } }, spec: {} } } } },
    };
    const p = policy(rule(`      any:\n      - resources:\n          kinds: [Pod]`));
    expect(evaluateKyvernoPolicy(p, item(deployment)).map((r) => [r.appliedAs, r.status])).toEqual([
      ['autogen-r', 'fail'],
    ]);
    expect(evaluateKyvernoPolicy(p, item(cron)).map((r) => [r.appliedAs, r.status])).toEqual([
      ['autogen-cronjob-r', 'pass'],
    ]);
    const none = policy(
      rule(`      any:\n      - resources:\n          kinds: [Pod]`),
      '  annotations:\n    pod-policies.kyverno.io/autogen-controllers: none',
    );
    expect(evaluateKyvernoPolicy(none, item(deployment))).toEqual([]);
  });

  it('per-rule failureAction, background and namespaced Policy scope', () => {
    const p = parseKyvernoPolicy(
      parse(`apiVersion: kyverno.io/v1
kind: Policy
metadata: {name: p, namespace: team-a}
spec:
  validationFailureAction: Enforce
  background: false
  rules:
  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      failureAction: Audit
      pattern: {metadata: {labels: {team: "?*"}}}`) as KubeObject,
    );
    const inA = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'team-a' }, spec: {} };
    const inB = { ...inA, metadata: { name: 'a', namespace: 'team-b' } };
    expect(evaluateKyvernoPolicy(p, item(inA))[0]).toMatchObject({ status: 'fail', failureAction: 'Audit' });
    expect(evaluateKyvernoPolicy(p, item(inB))).toEqual([]);
    expect(evaluateKyvernoPolicy(p, item(inA), { background: true })).toEqual([]);
  });

  it('names what it does not support at load, per rule', () => {
    const p = policy(`  - name: calls-api
    match: {any: [{resources: {kinds: [Pod]}}]}
    context:
    - name: ns
      apiCall: {urlPath: "/api/v1/namespaces"}
    validate: {deny: {}}
  - name: mutates
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate: {patchStrategicMerge: {metadata: {labels: {a: b}}}}
  - name: verifies
    match: {any: [{resources: {kinds: [Pod]}}]}
    verifyImages: [{imageReferences: ["*"]}]
  - name: odd-operator
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate: {deny: {conditions: {all: [{key: a, operator: Sometimes, value: b}]}}}`);
    expect(p.rules.map((r) => r.unsupported?.code)).toEqual([
      'needs-cluster-data',
      'mutation',
      'image-verification',
      'unsupported-feature',
    ]);
    expect(status(p, pod({}))).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported']);
  });
});
