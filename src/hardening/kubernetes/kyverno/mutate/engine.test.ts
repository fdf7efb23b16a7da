import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject, LoadedObject } from '../../objects/types.js';
import { parseKyvernoPolicy } from '../policy.js';
import { mutateKyvernoPolicy } from './engine.js';

/** A ClusterPolicy with these rules (YAML, indented as list items of `rules`). */
function policy(rules: string) {
  return parseKyvernoPolicy(
    parse(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: defaults}
spec:
  rules:
${rules}`) as KubeObject,
  );
}

const item = (object: unknown): LoadedObject => ({
  object: object as KubeObject,
  source: {},
  admission: { apiVersion: 'admission.k8s.io/v1', operation: 'CREATE' },
});

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'apps', ...metadata },
  spec,
});

const container = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'nginx:1.27',
  ...extra,
});

// Kyverno's public "add-default-securitycontext" policy, as teams bring it
const SECURITY_CONTEXT = policy(`  - name: add-default-securitycontext
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        spec:
          securityContext:
            +(runAsNonRoot): true
            +(runAsUser): 1000
            +(runAsGroup): 3000
            +(fsGroup): 2000`);

describe('Kyverno mutate rules', () => {
  it('adds absent fields with +() and keeps the ones the resource sets', () => {
    const out = mutateKyvernoPolicy(
      SECURITY_CONTEXT,
      item(pod({ securityContext: { runAsUser: 5 }, containers: [container('c')] })),
    );
    expect(out.results.map((r) => [r.rule, r.status])).toEqual([['add-default-securitycontext', 'pass']]);
    expect(out.object.spec).toEqual({
      securityContext: { runAsUser: 5, runAsNonRoot: true, runAsGroup: 3000, fsGroup: 2000 },
      containers: [container('c')],
    });
  });

  it('mutates the pod template of a controller through autogen', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container('c')] } } },
    };
    const out = mutateKyvernoPolicy(SECURITY_CONTEXT, item(deployment));
    expect(out.results.map((r) => r.appliedAs)).toEqual(['autogen-add-default-securitycontext']);
    const template = (
      out.object.spec as { template: { metadata: unknown; spec: { securityContext: unknown } } }
    ).template;
    expect(template.metadata).toEqual({ labels: { app: 'web' } });
    expect(template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 3000,
      fsGroup: 2000,
    });
  });

  it('gives no result and leaves a resource its match does not select as it was', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } };
    const out = mutateKyvernoPolicy(SECURITY_CONTEXT, item(service));
    expect(out.results).toEqual([]);
    expect(out.object).toBe(service);
  });

  it('skips a resource that already has every field (no change)', () => {
    const full = pod({
      securityContext: { runAsNonRoot: true, runAsUser: 1, runAsGroup: 1, fsGroup: 1 },
      containers: [container('c')],
    });
    expect(mutateKyvernoPolicy(SECURITY_CONTEXT, item(full)).results[0]).toMatchObject({
      status: 'skip',
      message: 'no change',
    });
  });

  it('patches only the list elements a conditional anchor selects, found again by name', () => {
    const p = policy(`  - name: always-pull-latest
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        spec:
          containers:
          - (image): "*:latest"
            imagePullPolicy: Always`);
    const out = mutateKyvernoPolicy(
      p,
      item(pod({ containers: [container('a'), container('b', { image: 'redis:latest' })] })),
    );
    expect(out.object.spec).toEqual({
      containers: [container('a'), container('b', { image: 'redis:latest', imagePullPolicy: 'Always' })],
    });
    // no container meets the condition: nothing to patch
    expect(mutateKyvernoPolicy(p, item(pod({ containers: [container('a')] }))).results[0]?.status).toBe(
      'skip',
    );
  });

  it('runs foreach over the containers with the element in its variables', () => {
    const p = policy(`  - name: drop-all
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      foreach:
      - list: request.object.spec.containers[]
        preconditions:
          all:
          - {key: "{{ element.name }}", operator: NotEquals, value: sidecar}
        patchStrategicMerge:
          spec:
            containers:
            - name: "{{ element.name }}"
              securityContext:
                capabilities:
                  drop: [ALL]`);
    const out = mutateKyvernoPolicy(p, item(pod({ containers: [container('app'), container('sidecar')] })));
    expect(out.object.spec).toEqual({
      containers: [
        container('app', { securityContext: { capabilities: { drop: ['ALL'] } } }),
        container('sidecar'),
      ],
    });
  });

  it('adds labels from variables, and honours preconditions', () => {
    const p = policy(`  - name: add-owner
    match: {any: [{resources: {kinds: [Pod]}}]}
    preconditions:
      all:
      - {key: "{{ request.object.metadata.namespace }}", operator: Equals, value: apps}
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(owner): "team-{{ request.object.metadata.namespace }}"`);
    const out = mutateKyvernoPolicy(p, item(pod({ containers: [] })));
    expect(out.object.metadata.labels).toEqual({ owner: 'team-apps' });
    const elsewhere = mutateKyvernoPolicy(p, item(pod({ containers: [] }, { namespace: 'other' })));
    expect(elsewhere.results[0]).toMatchObject({ status: 'skip', message: 'preconditions not met' });
  });

  it('applies patchesJson6902 as Kyverno does: parents created, negative indices, missing removals ignored', () => {
    const p = policy(`  - name: json
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchesJson6902: |-
        - {op: add, path: /metadata/annotations/example.com~1team, value: "{{ request.object.metadata.name }}"}
        - {op: add, path: /spec/containers/-1/args, value: [--quiet]}
        - {op: remove, path: /spec/hostNetwork}`);
    const out = mutateKyvernoPolicy(p, item(pod({ containers: [container('a'), container('b')] })));
    expect(out.object.metadata.annotations).toEqual({ 'example.com/team': 'web' });
    expect(out.object.spec).toEqual({ containers: [container('a'), container('b', { args: ['--quiet'] })] });
  });

  it('an operation that cannot apply is an error and leaves the object as it was', () => {
    const p = policy(`  - name: json
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchesJson6902: |-
        - {op: replace, path: /spec/nodeName, value: n1}`);
    const before = pod({ containers: [] });
    const out = mutateKyvernoPolicy(p, item(before));
    expect(out.results[0]?.status).toBe('error');
    expect(out.object).toBe(before);
  });

  it('names at load what it does not apply: mutate existing, nested foreach, validation anchors, directives', () => {
    const p = policy(`  - name: existing
    match: {any: [{resources: {kinds: [ConfigMap]}}]}
    mutate:
      targets: [{apiVersion: v1, kind: Secret, name: s}]
      patchStrategicMerge: {metadata: {labels: {a: b}}}
  - name: nested
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      foreach: [{list: "request.object.spec.containers", foreach: []}]
  - name: equality
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge: {spec: {=(hostNetwork): false}}
  - name: directive
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge: {spec: {containers: [{name: c, $patch: delete}]}}
  - name: fine
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge: {metadata: {labels: {+(a): b}}}`);
    expect(p.rules.map((r) => [r.name, r.unsupported?.feature, Boolean(r.mutate)])).toEqual([
      ['existing', 'mutate existing (targets)', false],
      ['nested', 'nested mutate.foreach', false],
      ['equality', 'patchStrategicMerge key =(hostNetwork)', false],
      ['directive', 'patchStrategicMerge key $patch', false],
      ['fine', 'mutate', true],
    ]);
  });
});
