import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../test/corpus.js';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

const service = (name: string, type: string, ports: object[], annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'apps', annotations },
  spec: { type, selector: { app: 'web' }, ports },
});

const https = { name: 'https', port: 443, targetPort: 8443 };
const AWS_CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';

/** K8S-NET-04's verdict per Service, by name (absent: the row does not apply). */
function verdicts(...docs: object[]): Record<string, string> {
  const { objects } = loadObjects(docs.map((d, i) => ({ name: `${i}.json`, text: JSON.stringify(d) })));
  const results = evaluate(objects, { controls: ['K8S-NET-04'], parameters: parametersSchema.parse({}) });
  return Object.fromEntries(results.map((r) => [r.resource.name, `${r.status}: ${r.message}`]));
}

describe('K8S-NET-04 LoadBalancer Services serving HTTPS', () => {
  it('counts a provider certificate annotation on the ports it covers, or a TLS backend, as TLS', () => {
    expect(
      verdicts(
        service('aws', 'LoadBalancer', [https], { [AWS_CERT]: 'arn:aws:acm:eu-west-1:1:certificate/x' }),
        service('aws-other-port', 'LoadBalancer', [https], {
          [AWS_CERT]: 'arn:aws:acm:eu-west-1:1:certificate/x',
          'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '8443',
        }),
        service('do', 'LoadBalancer', [{ port: 443 }], {
          'service.beta.kubernetes.io/do-loadbalancer-certificate-id': 'c0ffee',
        }),
        service('oci', 'LoadBalancer', [{ port: 443 }], {
          'service.beta.kubernetes.io/oci-load-balancer-ssl-ports': '443',
          'service.beta.kubernetes.io/oci-load-balancer-tls-secret': 'tls',
        }),
        service('bare', 'LoadBalancer', [{ port: 80 }, https]),
        service('passthrough', 'LoadBalancer', [{ ...https, appProtocol: 'https', targetPort: 'https' }]),
      ),
    ).toEqual({
      aws: 'pass: passed',
      'aws-other-port': 'fail: LoadBalancer port 443 serves HTTPS without a TLS certificate annotation',
      do: 'pass: passed',
      oci: 'pass: passed',
      bare: 'fail: LoadBalancer port 443 serves HTTPS without a TLS certificate annotation',
      passthrough: 'pass: passed',
    });
  });

  it('does not judge Services that are not load balancers or serve no HTTPS port', () => {
    expect(
      verdicts(
        service('cluster-ip', 'ClusterIP', [https]),
        service('plain-lb', 'LoadBalancer', [{ name: 'amqp', port: 5672 }]),
      ),
    ).toEqual({});
  });

  it("passes the ingress-nginx cloud LoadBalancer, whose 443 carries the controller's own TLS", () => {
    const file = corpusPath(
      'manifests',
      'real-world',
      'ingress-nginx',
      'deploy',
      'static',
      'provider',
      'cloud',
      'deploy.yaml',
    );
    const { objects } = loadObjects([{ name: file, text: readFileSync(file, 'utf8') }]);
    const results = evaluate(objects, { controls: ['K8S-NET-04'], parameters: parametersSchema.parse({}) });
    expect(
      results.filter((r) => r.resource.kind === 'Service').map((r) => `${r.resource.name}: ${r.status}`),
    ).toEqual(['ingress-nginx-controller: pass']);
  });
});
