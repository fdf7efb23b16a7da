import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

const template = (spec: object) => ({
  apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
  kind: 'SandboxTemplate',
  metadata: { name: 't', namespace: 'agents' },
  spec: {
    podTemplate: {
      spec: { runtimeClassName: 'gvisor', containers: [{ name: 'agent', image: 'python:3.12' }] },
    },
    ...spec,
  },
});

function run(object: object, controls: string[], params: object = {}) {
  const { objects } = loadObjects([{ name: 'sandbox.json', text: JSON.stringify(object) }]);
  return evaluate(objects, { controls, parameters: parametersSchema.parse(params) });
}
const net = (spec: object) =>
  run(template(spec), ['K8S-NET-01']).map((r) => (r.status === 'fail' ? r.message : 'pass'));

describe('agent sandboxes', () => {
  it('are workloads: container controls see the pod template', () => {
    const [img] = run(template({}), ['K8S-IMG-01'], { allowedImages: ['gcr.io/*'] });
    expect(img).toMatchObject({
      status: 'fail',
      field: 'spec.podTemplate.spec.containers[0].image',
    });
    expect(run(template({}), ['K8S-POD-34'])[0]?.status).toBe('fail'); // no CPU/memory limits
  });

  it('K8S-NET-01: the template must manage an explicit, scoped egress policy', () => {
    const managed = (networkPolicy: unknown) => net({ networkPolicyManagement: 'Managed', networkPolicy });
    expect(managed({})).toEqual(['pass']); // no egress rules: deny all
    expect(managed({ egress: [] })).toEqual(['pass']);
    expect(managed({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] })).toEqual(['pass']);
    expect(managed({ egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] })).toEqual([
      'pass',
    ]);
    expect(net({})).toEqual(['no networkPolicy: the sandbox relies on the controller default']);
    expect(net({ networkPolicyManagement: 'Unmanaged' })[0]).toMatch(/Unmanaged/);
    expect(managed([])).toEqual(['networkPolicy is not an object']);
    expect(managed({ egress: {} })).toEqual(['networkPolicy.egress is not a list']);
    expect(managed({ egress: [{ ports: [{ port: 53 }] }] })[0]).toMatch(/names no destination/);
    expect(managed({ egress: [{ to: [{}] }] })[0]).toMatch(/empty peer/);
    expect(
      managed({ egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] })[0],
    ).toMatch(/0\.0\.0\.0\/0 allows every address/);
    expect(managed({ egress: [{ to: [{ ipBlock: { cidr: '::/0' } }] }] })[0]).toMatch(/::\/0/);
    expect(managed({ egress: [{ to: [{ podSelector: {} }] }] })[0]).toMatch(/empty podSelector/);
    expect(managed({ egress: [{ to: [{ namespaceSelector: {} }] }] })[0]).toMatch(/empty namespaceSelector/);
    // a bare Sandbox manages no policy: NetworkPolicies selecting its pod decide, as for any pod owner
    const sandbox = { ...template({}), apiVersion: 'agents.x-k8s.io/v1alpha1', kind: 'Sandbox' };
    expect(run(sandbox, ['K8S-NET-01'])[0]?.message).toMatch(/no NetworkPolicy restricts/);
  });
});

describe('image pinning exemptions and floating tags', () => {
  const pod = (image: string, imagePullPolicy?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'apps' },
    spec: { containers: [{ name: 'app', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
  });
  const status = (object: object, control: string, params: object = {}) =>
    run(object, [control], params)[0]?.status;

  it('K8S-IMG-04 skips exempt repositories by whole path segment', () => {
    const exempt = { digestExemptRepositories: ['internal-registry'] };
    expect(status(pod('internal-registry/nginx:1.25'), 'K8S-IMG-04', exempt)).toBe('pass');
    expect(status(pod('internal-registry-attacker/app:latest'), 'K8S-IMG-04', exempt)).toBe('fail');
    expect(status(pod('internal-registry/nginx:1.25'), 'K8S-IMG-04')).toBe('fail');
  });

  it('K8S-IMG-05 wants Always for every tag that counts as floating, not only latest', () => {
    expect(status(pod('redis:alpine', 'IfNotPresent'), 'K8S-IMG-05')).toBe('pass');
    expect(
      status(pod('redis:alpine', 'IfNotPresent'), 'K8S-IMG-05', { disallowedTags: ['latest', 'alpine'] }),
    ).toBe('fail');
    // an unset policy on a floating tag defaults to IfNotPresent, as Kubernetes does for any tag but latest
    expect(status(pod('redis:alpine'), 'K8S-IMG-05', { disallowedTags: ['alpine'] })).toBe('fail');
    expect(status(pod('redis:latest'), 'K8S-IMG-05')).toBe('pass');
  });
});
