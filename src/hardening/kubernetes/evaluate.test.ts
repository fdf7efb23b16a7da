import { describe, expect, it } from 'vitest';
import { CONTROLS } from './controls/index.js';
import { evaluate, evaluateDetailed } from './evaluate.js';
import { loadObjects } from './objects/load.js';
import { parametersSchema } from './parameters/schema.js';

const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring, labels: {team: obs}}
spec:
  template:
    spec:
      hostNetwork: true
      containers: [{name: e, image: quay.io/prometheus/node-exporter:v1.8.0}]
`;

describe('evaluate', () => {
  const { objects } = loadObjects([{ name: 'ds.yaml', text }]);

  it('selects rows by standard', () => {
    const baseline = new Set(evaluate(objects, { standard: 'pss-baseline' }).map((r) => r.control));
    expect(baseline.has('K8S-POD-04')).toBe(true);
    expect(baseline.has('K8S-POD-14')).toBe(false);
    expect(baseline.has('K8S-RES-01')).toBe(false);
    const restricted = new Set(evaluate(objects, { standard: 'pss-restricted' }).map((r) => r.control));
    expect(restricted.has('K8S-POD-04') && restricted.has('K8S-POD-14')).toBe(true);
  });

  it('reports the field path and resource of a failure', () => {
    const r = evaluate(objects, { controls: ['K8S-POD-04'] })[0]!;
    expect(r).toMatchObject({
      status: 'fail',
      field: 'spec.template.spec.hostNetwork',
      resource: { id: 'monitoring/DaemonSet/node-exporter', kind: 'DaemonSet' },
    });
    expect(r.source.file).toBe('ds.yaml');
  });

  it('gives the results of a control one copy of its standards, and the same messages and fields', () => {
    const pods = Array.from(
      { length: 3 },
      (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: p${i}}
spec: {containers: [{name: c, image: nginx:1.25}]}
`,
    ).join('---\n');
    const results = evaluate(loadObjects([{ name: 'pods.yaml', text: pods }]).objects);
    const byControl = new Map<string, typeof results>();
    for (const r of results) byControl.set(r.control, [...(byControl.get(r.control) ?? []), r]);
    for (const [id, list] of byControl) {
      const control = CONTROLS.find((c) => c.id === id)!;
      expect(list).toHaveLength(3);
      expect(list[0]!.standards).toEqual(control.standards);
      expect(list[0]!.standards).not.toBe(control.standards);
      expect(list.every((r) => r.standards === list[0]!.standards)).toBe(true);
      expect(new Set(list.map((r) => r.message)).size).toBe(1);
      expect(new Set(list.map((r) => r.field)).size).toBe(1);
    }
    const failures = results.filter((r) => r.status === 'fail');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((r) => r.message !== 'passed' && r.message.length > 0)).toBe(true);
    expect(failures.some((r) => r.field)).toBe(true);
  });

  it('honours parameters', () => {
    const parameters = parametersSchema.parse({ allowHostNetwork: true });
    expect(evaluate(objects, { controls: ['K8S-POD-04'], parameters })[0]!.status).toBe('pass');
  });

  it('suppresses with an active exception scoped by namespace glob, kind and labels; expired ones stop suppressing', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const active = {
      id: 'K8S-POD-04',
      reason: 'exporter',
      namespaces: ['monit*'],
      kinds: ['DaemonSet'],
      labels: { team: 'obs' },
      expires: '2026-12-31',
    };
    const wrongNs = { ...active, namespaces: ['prod'] };
    const expired = { ...active, expires: '2026-01-01' };
    expect(
      evaluate(objects, { controls: ['K8S-POD-04'], exceptions: [active], now })[0]!.suppressedBy,
    ).toEqual({ reason: 'exporter', expires: '2026-12-31' });
    expect(
      evaluate(objects, { controls: ['K8S-POD-04'], exceptions: [wrongNs], now })[0]!.suppressedBy,
    ).toBeUndefined();
    const e = evaluateDetailed(objects, { controls: ['K8S-POD-04'], exceptions: [expired], now });
    expect(e.results[0]!.suppressedBy).toBeUndefined();
    expect(e.expiredExceptions).toHaveLength(1);
  });
});
