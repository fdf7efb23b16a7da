import { describe, expect, it } from 'vitest';
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
  it('counts a provider certificate annotation as TLS on the ports it covers', () => {
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
      ),
    ).toEqual({
      aws: 'pass: passed',
      'aws-other-port': 'fail: LoadBalancer port 443 serves HTTPS without a TLS certificate annotation',
      do: 'pass: passed',
      oci: 'pass: passed',
      bare: 'fail: LoadBalancer port 443 serves HTTPS without a TLS certificate annotation',
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
});
