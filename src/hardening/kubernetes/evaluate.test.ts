import { describe, expect, it } from 'vitest';
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
