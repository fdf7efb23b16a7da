import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

/** K8S-NET-01 status of the first object, with the others as cluster context. */
function status(...objects: object[]): string | undefined {
  const { objects: loaded } = loadObjects([
    { name: 'in.json', text: JSON.stringify({ kind: 'List', apiVersion: 'v1', items: objects }) },
  ]);
  const [subject, ...context] = loaded;
  return evaluate([subject!], {
    controls: ['K8S-NET-01'],
    parameters: parametersSchema.parse({}),
    context,
  })[0]?.status;
}

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
};
const ccnp = (endpointSelector: object | undefined) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumClusterwideNetworkPolicy',
  metadata: { name: 'p' },
  spec: { ...(endpointSelector ? { endpointSelector } : {}), ingress: [{}] },
});

describe('K8S-NET-01 with Cilium policies', () => {
  it('a clusterwide policy covers a namespace only when it selects all of it', () => {
    expect(status(namespace, ccnp({}))).toBe('pass');
    expect(status(namespace, ccnp({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } }))).toBe(
      'pass',
    );
    expect(status(namespace, ccnp({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } }))).toBe(
      'fail',
    );
    expect(
      status(namespace, ccnp({ matchExpressions: [{ key: 'role', operator: 'In', values: ['frontend'] }] })),
    ).toBe('fail');
  });

  it('a policy whose specs list is empty selects no pod', () => {
    const empty = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'e', namespace: 'shop' },
      specs: [],
    };
    expect(status(pod, empty)).toBe('fail');
    const rules = {
      ...empty,
      specs: [{ endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}], egress: [{}] }],
    };
    expect(status(pod, rules)).toBe('pass');
  });
});
