import { asArray, isRecord, str } from './helpers.js';

type Annotations = Readonly<Record<string, string>>;
type Port = { port: number; name: string | undefined; appProtocol: string | undefined };

/** A comma-separated port list (`443,https`, `*`) that names the port; `fallback` when the list is absent. */
function listed(list: string | undefined, p: Port, fallback: boolean): boolean {
  if (list === undefined) return fallback;
  const items = list.split(',').map((s) => s.trim());
  return (
    items.includes('*') || items.includes(String(p.port)) || (p.name !== undefined && items.includes(p.name))
  );
}

const AWS = 'service.beta.kubernetes.io/aws-load-balancer-';
const DO = 'service.beta.kubernetes.io/do-loadbalancer-';
const OCI = 'service.beta.kubernetes.io/oci-load-balancer-';
const ALIBABA = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const LINODE = 'service.beta.kubernetes.io/linode-loadbalancer-port-';

/**
 * Cloud controllers that terminate TLS on a LoadBalancer Service's port when its annotations give a certificate,
 * each with the ports its certificate covers. Azure's and Google's Service load balancers pass TCP through: they
 * have no such annotation (TLS there is the workload's, or an Ingress's or Gateway's).
 */
const PROVIDERS: readonly ((a: Annotations, p: Port) => boolean)[] = [
  // AWS cloud provider and Load Balancer Controller: ssl-ports defaults to every port
  (a, p) => !!a[`${AWS}ssl-cert`] && listed(a[`${AWS}ssl-ports`], p, true),
  // DigitalOcean: tls-ports defaults to 443
  (a, p) => !!a[`${DO}certificate-id`] && listed(a[`${DO}tls-ports`], p, p.port === 443),
  // Oracle Cloud: a TLS secret on the listed ssl-ports
  (a, p) => !!a[`${OCI}tls-secret`] && listed(a[`${OCI}ssl-ports`], p, false),
  // Alibaba Cloud: a certificate and the port declared `https:PORT`
  (a, p) =>
    !!a[`${ALIBABA}cert-id`] &&
    (a[`${ALIBABA}protocol-port`] ?? '').split(',').some((s) => s.trim() === `https:${p.port}`),
  // Linode: a per-port JSON configuration naming a TLS secret
  (a, p) => {
    try {
      const conf: unknown = JSON.parse(a[`${LINODE}${p.port}`] ?? 'null');
      return isRecord(conf) && !!str(conf['tls-secret-name']);
    } catch {
      return false;
    }
  },
];

/** The ports of a Service that serve HTTPS: 443, or named or declared (`appProtocol`) `https`. */
export function httpsPorts(spec: unknown): Port[] {
  const ports = isRecord(spec) ? asArray(spec.ports) : [];
  return ports.filter(isRecord).flatMap((p) => {
    const port = typeof p.port === 'number' ? p.port : Number(p.port);
    const name = str(p.name);
    const appProtocol = str(p.appProtocol);
    const https = port === 443 || [name, appProtocol].some((s) => s?.toLowerCase() === 'https');
    return https && Number.isFinite(port) ? [{ port, name, appProtocol }] : [];
  });
}

/**
 * Whether the port's traffic is TLS: a provider annotation gives the load balancer a certificate for it, or the
 * port declares `appProtocol: https` (the backend speaks TLS and the load balancer passes it through, as an ingress
 * controller's Service does).
 */
export function carriesTls(annotations: Annotations, port: Port): boolean {
  return port.appProtocol?.toLowerCase() === 'https' || PROVIDERS.some((covers) => covers(annotations, port));
}
