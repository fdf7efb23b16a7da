import { describe, expect, it } from 'vitest';
import { deprecationOf, kubernetesMinor } from './deprecated-apis.js';
import { evaluate } from './evaluate.js';
import { loadObjects } from './objects/load.js';
import { parametersSchema } from './parameters/schema.js';

function ns08(apiVersion: string, kind: string, params: Record<string, unknown> = {}) {
  const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: apps}\n`;
  const { objects } = loadObjects([{ name: 'in.yaml', text }]);
  const parameters = parametersSchema.parse(params);
  const [r] = evaluate(objects, { controls: ['K8S-NS-08'], parameters });
  return r!.status === 'pass' ? 'pass' : r!.message;
}

describe('deprecated APIs per group/version/kind', () => {
  it('dates each kind of an apiVersion on its own', () => {
    expect(ns08('extensions/v1beta1', 'Deployment', { targetKubernetesVersion: '1.16' })).toBe(
      'extensions/v1beta1 Deployment is no longer served from Kubernetes 1.16; use apps/v1',
    );
    expect(ns08('extensions/v1beta1', 'Ingress', { targetKubernetesVersion: 'v1.18.4' })).toBe(
      'extensions/v1beta1 Ingress is deprecated since Kubernetes 1.14, no longer served from 1.22; use networking.k8s.io/v1',
    );
    expect(ns08('extensions/v1beta1', 'Ingress', { targetKubernetesVersion: '1.13' })).toBe('pass');
  });

  it('does not take a kind served again under an old apiVersion for a removed one', () => {
    expect(ns08('admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy')).toBe('pass');
    expect(ns08('admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration')).toContain(
      'no longer served from Kubernetes 1.22',
    );
    expect(deprecationOf('policy/v1beta1', 'PodSecurityPolicy')?.replacement).toBeUndefined();
  });

  it('reports only what the target no longer serves when asked', () => {
    const removedOnly = { deprecatedApisRemovedOnly: true, targetKubernetesVersion: '1.21' };
    expect(ns08('extensions/v1beta1', 'Ingress', removedOnly)).toBe('pass');
    expect(ns08('batch/v2alpha1', 'CronJob', removedOnly)).toContain('no longer served from Kubernetes 1.21');
    expect(ns08('apps/v1', 'Deployment', removedOnly)).toBe('pass');
  });

  it('reads target versions, and refuses a target that is not one', () => {
    expect(kubernetesMinor('v1.29.3')).toBe(29);
    expect(kubernetesMinor('1.30')).toBe(30);
    expect(kubernetesMinor('latest')).toBeUndefined();
    expect(parametersSchema.safeParse({ targetKubernetesVersion: 'latest' }).success).toBe(false);
  });
});
