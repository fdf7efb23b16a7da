import { describe, expect, it } from 'vitest';
import { loadObjects, loadParsed } from './load.js';
import { podSpecOf } from './pod-spec.js';

const helm = `---
# Source: chart/templates/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
---
# Source: chart/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers: [{name: init, image: busybox}]
      containers: [{name: app, image: nginx}]
      ephemeralContainers: [{name: dbg, image: busybox}]
`;

describe('loadObjects', () => {
  it('reads Helm-rendered multi-document YAML with comments and empty documents', () => {
    const { objects, errors } = loadObjects([{ name: 'helm.yaml', text: helm }]);
    expect(errors).toEqual([]);
    expect(objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      'ServiceAccount/web',
      'Deployment/web',
    ]);
    expect(objects[1]!.source).toMatchObject({ file: 'helm.yaml', docIndex: 2, line: 10 });
  });

  it('reports a malformed document with file and index and still assesses the rest', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const { objects, errors } = loadObjects([{ name: 'bad.yaml', text }]);
    expect(objects.map((o) => o.object.kind)).toEqual(['Pod', 'ConfigMap']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'bad.yaml', docIndex: 1 });
  });

  it('reports documents that are not objects and refuses binary input', () => {
    const { errors } = loadObjects([
      { name: 'scalar.yaml', text: 'just a string' },
      { name: 'nokind.yaml', text: 'apiVersion: v1\nmetadata: {}' },
      { name: 'bin.yaml', text: 'a\u0000b' },
    ]);
    expect(errors.map((e) => e.file)).toEqual(['scalar.yaml', 'nokind.yaml', 'bin.yaml']);
  });

  it('expands Lists with the line of each item, and reads JSON', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n';
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } }],
    });
    const { objects } = loadObjects([
      { name: 'list.yaml', text: list },
      { name: 'list.json', text: json },
    ]);
    expect(objects.map((o) => [o.object.metadata.name, o.source.line, o.source.path])).toEqual([
      ['a', 4, 'items[0]'],
      ['b', 7, 'items[1]'],
      ['j', 1, 'items[0]'],
    ]);
  });

  it('unwraps AdmissionReview v1 and v1beta1 bodies with operation, oldObject and namespace', () => {
    const review = (v: string) =>
      JSON.stringify({
        apiVersion: `admission.k8s.io/${v}`,
        kind: 'AdmissionReview',
        request: {
          uid: 'u',
          operation: 'UPDATE',
          namespace: 'team',
          userInfo: { username: 'bob' },
          object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } },
          oldObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } },
        },
      });
    const { objects } = loadObjects([
      { name: 'v1', text: review('v1') },
      { name: 'v1beta1', text: review('v1beta1') },
    ]);
    expect(objects).toHaveLength(2);
    for (const o of objects) {
      expect(o.object.metadata.namespace).toBe('team');
      expect(o.admission).toMatchObject({ operation: 'UPDATE', userInfo: { username: 'bob' } });
      expect(o.admission?.oldObject?.kind).toBe('Pod');
    }
  });

  it('types an AdmissionReview object that omits apiVersion/kind from the request kind', () => {
    const text = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u',
        operation: 'CREATE',
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        object: { metadata: { name: 'd' }, spec: {} },
      },
    });
    const { objects, errors } = loadObjects([{ name: 'r', text }]);
    expect(errors).toEqual([]);
    expect(objects[0]?.object).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('refuses YAML alias bombs without expanding them', () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    const { objects, errors } = loadObjects([{ name: 'bomb.yaml', text: bomb }]);
    expect(objects).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

describe('loadParsed', () => {
  it('gives the same objects from a parsed AdmissionReview as loadObjects from its text', () => {
    const body = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u',
        operation: 'UPDATE',
        namespace: 'apps',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        userInfo: { username: 'alice' },
        object: { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } },
        oldObject: { metadata: { name: 'p' }, spec: { containers: [] } },
      },
    });
    const parsed = loadParsed(JSON.parse(body), 'request');
    const text = loadObjects([{ name: 'request', text: body }]);
    expect(parsed.objects.map((o) => [o.object, o.admission])).toEqual(
      text.objects.map((o) => [o.object, o.admission]),
    );
    expect(parsed.objects[0]!.object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'apps' },
    });
    expect(loadParsed(42, 'x').errors).toHaveLength(1);
  });
});

describe('podSpecOf', () => {
  it('normalises every pod template owner once, with field paths and all container lists', () => {
    const { objects } = loadObjects([{ name: 'h', text: helm }]);
    const view = podSpecOf(objects[1]!.object)!;
    expect(view.path).toBe('spec.template.spec');
    expect(view.containers.map((c) => c.path)).toEqual([
      'spec.template.spec.initContainers[0]',
      'spec.template.spec.containers[0]',
      'spec.template.spec.ephemeralContainers[0]',
    ]);
    expect(podSpecOf(objects[1]!.object)).toBe(view);
    expect(podSpecOf(objects[0]!.object)).toBeNull();
  });

  it('finds the template of a CronJob', () => {
    const cron =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: x}]\n';
    const { objects } = loadObjects([{ name: 'c', text: cron }]);
    expect(podSpecOf(objects[0]!.object)?.containers[0]?.path).toBe(
      'spec.jobTemplate.spec.template.spec.containers[0]',
    );
  });
});
