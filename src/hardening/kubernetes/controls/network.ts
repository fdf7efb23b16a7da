import { podSpecOf } from '../objects/pod-spec.js';
import type { KubeObject, LoadedObject } from '../objects/types.js';
import {
  asArray,
  finding,
  get,
  isRecord,
  ns,
  onKinds,
  onPod,
  podTemplatesIn,
  records,
  SYSTEM_NAMESPACES,
  selects,
  str,
} from './helpers.js';
import { carriesTls, httpsPorts } from './load-balancer-tls.js';
import { POLICY_MANAGING_KINDS, sandboxNetworkFindings } from './sandbox-network.js';
import type { Control, ControlFailure, EvalContext } from './types.js';

const INTERNAL_LB_ANNOTATIONS: Readonly<Record<string, string[]>> = {
  'service.beta.kubernetes.io/azure-load-balancer-internal': ['true'],
  'service.beta.kubernetes.io/aws-load-balancer-internal': ['true', '0.0.0.0/0'],
  'service.beta.kubernetes.io/aws-load-balancer-scheme': ['internal'],
  'networking.gke.io/load-balancer-type': ['Internal'],
  'cloud.google.com/load-balancer-type': ['Internal'],
};

const ingressHttpsOnly = onKinds(['Ingress'], (o, _i, ctx) => {
  const out: ControlFailure[] = [];
  if (!ctx.params.ingressTlsOptional && get(o, 'spec', 'tls') === undefined)
    out.push(finding('Ingress has no spec.tls', 'spec.tls'));
  if (
    ctx.params.ingressRequireAllowHttpFalse &&
    o.metadata.annotations?.['kubernetes.io/ingress.allow-http'] !== 'false'
  )
    out.push(finding('annotation kubernetes.io/ingress.allow-http is not "false"', 'metadata.annotations'));
  return out;
});

/** A LoadBalancer Service's HTTPS ports without a provider certificate; null for other Services (nothing to judge). */
function loadBalancerTls(o: KubeObject): ControlFailure[] | null {
  if (get(o, 'spec', 'type') !== 'LoadBalancer') return null;
  const ports = httpsPorts(o.spec);
  if (ports.length === 0) return null;
  const annotations = o.metadata.annotations ?? {};
  return ports
    .filter((p) => !carriesTls(annotations, p))
    .map((p) =>
      finding(
        `LoadBalancer port ${p.port} serves HTTPS without a TLS certificate annotation`,
        'metadata.annotations',
      ),
    );
}

function policyTypes(np: Record<string, unknown>): string[] {
  if (String(np.kind).startsWith('Cilium')) {
    const types: string[] = [];
    if (get(np, 'spec', 'ingress') !== undefined || get(np, 'spec', 'ingressDeny') !== undefined)
      types.push('Ingress');
    if (get(np, 'spec', 'egress') !== undefined || get(np, 'spec', 'egressDeny') !== undefined)
      types.push('Egress');
    return types;
  }
  const declared = asArray(get(np, 'spec', 'policyTypes')).map(String);
  if (declared.length) return declared;
  return get(np, 'spec', 'egress') !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** A Cilium policy as one policy object per rule: its `spec`, then each of `specs` (none when both are absent or empty). */
function ciliumSpecs(np: LoadedObject): LoadedObject[] {
  const out = isRecord(get(np.object, 'spec')) ? [np] : [];
  for (const spec of records(get(np.object, 'specs'))) out.push({ ...np, object: { ...np.object, spec } });
  return out;
}

/** Cilium's label for an endpoint's namespace, with and without the `k8s:` source prefix. */
const NAMESPACE_LABELS = new Set(['k8s:io.kubernetes.pod.namespace', 'io.kubernetes.pod.namespace']);

/**
 * Whether a Cilium endpoint selector selects every endpoint of `namespace`: no selector, an empty one, or one whose
 * only requirement is that namespace.
 */
function selectsWholeNamespace(selector: unknown, namespace: string): boolean {
  if (selector === undefined) return true;
  if (!isRecord(selector)) return false;
  const labels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(labels))
    if (!NAMESPACE_LABELS.has(key) || value !== namespace) return false;
  return records(selector.matchExpressions).every(
    (e) =>
      NAMESPACE_LABELS.has(String(e.key)) &&
      e.operator === 'In' &&
      asArray(e.values).map(String).includes(namespace),
  );
}

/** NetworkPolicies, CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies that select the pod labels. */
function policiesSelecting(ctx: EvalContext, namespace: string, labels: Record<string, string>) {
  return [
    ...ctx.inventory
      .inNamespace(namespace, 'NetworkPolicy')
      .filter((np) => selects(get(np.object, 'spec', 'podSelector'), labels)),
    ...ctx.inventory
      .inNamespace(namespace, 'CiliumNetworkPolicy')
      .flatMap(ciliumSpecs)
      .filter((np) => selects(get(np.object, 'spec', 'endpointSelector') ?? {}, labels)),
    ...ctx.inventory
      .ofKind('CiliumClusterwideNetworkPolicy')
      .flatMap(ciliumSpecs)
      .filter((np) => selects(get(np.object, 'spec', 'endpointSelector') ?? {}, labels)),
  ];
}

function servicesSelecting(
  ctx: EvalContext,
  namespace: string,
  labels: Record<string, string>,
): LoadedObject[] {
  return ctx.inventory
    .inNamespace(namespace, 'Service')
    .filter((s) => selects(get(s.object, 'spec', 'selector'), labels, true));
}

function ingressBackends(o: Record<string, unknown>): { name: string; field: string }[] {
  const out: { name: string; field: string }[] = [];
  const add = (b: unknown, field: string) => {
    if (b === undefined) return;
    const v1 = o.apiVersion === 'networking.k8s.io/v1';
    const name = str(get(b, 'service', 'name')) ?? (v1 ? undefined : str(get(b, 'serviceName')));
    if (name) out.push({ name, field });
    else if (get(b, 'resource') === undefined) out.push({ name: '(none)', field });
  };
  add(get(o, 'spec', 'defaultBackend') ?? get(o, 'spec', 'backend'), 'spec.defaultBackend');
  records(get(o, 'spec', 'rules')).forEach((r, i) => {
    records(get(r, 'http', 'paths')).forEach((p, j) => {
      add(p.backend, `spec.rules[${i}].http.paths[${j}].backend`);
    });
  });
  return out;
}

const CNI_WITH_POLICY =
  /calico|cilium|weave|antrea|kube-router|canal|romana|azure-npm|aws-network-policy|vpc-cni-network-policy/;
const CNI_WITHOUT_POLICY = /flannel|kindnet|bridge/;

export const networkControls: readonly Control[] = [
  {
    id: 'K8S-NET-01',
    title: 'Workload/namespace without NetworkPolicy',
    severity: 'MEDIUM',
    standards: ['cis', 'nsa', 'best-practices'],
    scope: 'C',
    version: 1,
    remediation:
      'Add NetworkPolicies that select every pod for ingress and egress (start with default deny).',
    check: (item, ctx) => {
      if (item.object.kind === 'Namespace') {
        const name = item.object.metadata.name ?? '';
        const clusterwide = ctx.inventory
          .ofKind('CiliumClusterwideNetworkPolicy')
          .flatMap(ciliumSpecs)
          .some((p) => selectsWholeNamespace(get(p.object, 'spec', 'endpointSelector'), name));
        return ctx.inventory.inNamespace(name, 'NetworkPolicy', 'CiliumNetworkPolicy').length || clusterwide
          ? []
          : [finding(`namespace ${name} has no NetworkPolicy`)];
      }
      if (POLICY_MANAGING_KINDS.has(item.object.kind)) return sandboxNetworkFindings(item.object);
      return onPod((pod) => {
        const types = new Set(
          policiesSelecting(ctx, ns(item.object), pod.metadata.labels).flatMap((np) =>
            policyTypes(np.object),
          ),
        );
        const selected = policiesSelecting(ctx, ns(item.object), pod.metadata.labels).length > 0;
        const missing = ctx.params.requiredPolicyTypes.length
          ? ctx.params.requiredPolicyTypes.filter((t) => !types.has(t))
          : selected
            ? []
            : ['Ingress'];
        return missing.length
          ? [
              finding(
                `no NetworkPolicy restricts ${missing.join(' and ').toLowerCase()} traffic of the pods`,
                `${pod.path.replace(/\.spec$/, '.metadata')}.labels`,
              ),
            ]
          : [];
      })(item, ctx);
    },
  },
  {
    id: 'K8S-NET-02',
    title: 'CNI lacks NetworkPolicy support',
    severity: 'MEDIUM',
    standards: ['cis'],
    scope: 'C',
    version: 1,
    remediation: 'Run a CNI that enforces NetworkPolicy (Calico, Cilium, Antrea…) or add a policy engine.',
    check: onKinds(['Cluster'], (_o, _i, ctx) => {
      const names = ctx.inventory.ofKind('DaemonSet').map((d) => d.object.metadata.name ?? '');
      if (names.some((n) => CNI_WITH_POLICY.test(n))) return [];
      const weak = names.find((n) => CNI_WITHOUT_POLICY.test(n));
      return [
        finding(
          weak
            ? `CNI ${weak} does not enforce NetworkPolicy`
            : 'no CNI that enforces NetworkPolicy was found',
        ),
      ];
    }),
  },
  {
    id: 'K8S-NET-03',
    title: 'NetworkPolicy selects nothing',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 1,
    remediation: 'Fix the podSelector so that the policy selects the intended pods, or delete it.',
    check: onKinds(['NetworkPolicy'], (o, _i, ctx) => {
      const selector = get(o, 'spec', 'podSelector');
      if (
        !isRecord(selector) ||
        (Object.keys(selector.matchLabels ?? {}).length === 0 &&
          asArray(selector.matchExpressions).length === 0)
      )
        return [];
      const hit = podTemplatesIn(ctx, ns(o)).some((p) => selects(selector, p.labels));
      return hit ? [] : [finding('podSelector matches no pod in the namespace', 'spec.podSelector')];
    }),
  },
  {
    id: 'K8S-NET-04',
    title: 'Ingress not HTTPS-only',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Add spec.tls and the annotation kubernetes.io/ingress.allow-http: "false"; give a LoadBalancer serving HTTPS its provider\'s certificate annotation.',
    check: (item, ctx) => {
      if (item.object.kind === 'Service') return loadBalancerTls(item.object);
      return ingressHttpsOnly(item, ctx);
    },
  },
  {
    id: 'K8S-NET-05',
    title: 'Ingress host empty or wildcard',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Give every Ingress rule an explicit host name.',
    check: onKinds(['Ingress'], (o, _i, ctx) => {
      const out: ControlFailure[] = [];
      records(get(o, 'spec', 'rules')).forEach((r, i) => {
        const host = str(r.host);
        if (!host || (host.startsWith('*') && !ctx.params.allowWildcardIngressHost))
          out.push(
            finding(
              `rule ${i} host ${host ? `"${host}" is a wildcard` : 'is empty'}`,
              `spec.rules[${i}].host`,
            ),
          );
      });
      if (
        get(o, 'spec', 'defaultBackend') !== undefined &&
        out.length === 0 &&
        records(get(o, 'spec', 'rules')).length === 0
      )
        out.push(finding('Ingress has only a default backend (catches every host)', 'spec.defaultBackend'));
      return out;
    }),
  },
  {
    id: 'K8S-NET-06',
    title: 'Duplicate Ingress host',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M*',
    version: 1,
    remediation: 'Use each Ingress host in one Ingress only.',
    check: onKinds(['Ingress'], (o, item, ctx) => {
      const out: ControlFailure[] = [];
      const others = ctx.inventory
        .ofKind('Ingress')
        .filter((x) => x !== item && !(x.object.metadata.name === o.metadata.name && ns(x.object) === ns(o)));
      records(get(o, 'spec', 'rules')).forEach((r, i) => {
        const host = str(r.host);
        if (!host) return;
        const dup = others.find((x) =>
          records(get(x.object, 'spec', 'rules')).some((rr) => rr.host === host),
        );
        if (dup)
          out.push(
            finding(
              `host ${host} is also claimed by Ingress ${ns(dup.object)}/${dup.object.metadata.name}`,
              `spec.rules[${i}].host`,
            ),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-NET-07',
    title: 'Public LoadBalancer',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation:
      'Use an internal load balancer annotation, or put the Service behind an Ingress with authentication.',
    check: onKinds(['Service'], (o) => {
      if (get(o, 'spec', 'type') !== 'LoadBalancer') return [];
      const a = o.metadata.annotations ?? {};
      const internal = Object.entries(INTERNAL_LB_ANNOTATIONS).some(
        ([k, values]) => a[k] !== undefined && values.includes(String(a[k])),
      );
      return internal
        ? []
        : [finding('LoadBalancer Service has no internal load balancer annotation', 'spec.type')];
    }),
  },
  {
    id: 'K8S-NET-08',
    title: 'LoadBalancer Service',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Expose workloads through an Ingress or Gateway instead of a LoadBalancer Service.',
    check: onKinds(['Service'], (o) =>
      get(o, 'spec', 'type') === 'LoadBalancer' ? [finding('Service type is LoadBalancer', 'spec.type')] : [],
    ),
  },
  {
    id: 'K8S-NET-09',
    title: 'NodePort Service',
    severity: 'MEDIUM',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Use ClusterIP Services behind an Ingress or Gateway instead of NodePort.',
    check: onKinds(['Service'], (o) =>
      get(o, 'spec', 'type') === 'NodePort' ? [finding('Service type is NodePort', 'spec.type')] : [],
    ),
  },
  {
    id: 'K8S-NET-10',
    title: 'External IPs',
    severity: 'HIGH',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Remove spec.externalIPs (CVE-2020-8554) or limit them to the allowed list.',
    check: onKinds(['Service'], (o, _i, ctx) => {
      const bad = asArray(get(o, 'spec', 'externalIPs'))
        .map(String)
        .filter((ip) => !ctx.params.allowedExternalIPs.includes(ip));
      return bad.length ? [finding(`externalIPs ${bad.join(', ')} are not allowed`, 'spec.externalIPs')] : [];
    }),
  },
  {
    id: 'K8S-NET-11',
    title: 'Service port not allowed',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Use only the allowed Service ports (parameter allowedServicePorts).',
    check: (item, ctx) => {
      if (ctx.params.allowedServicePorts.length === 0 || item.object.kind !== 'Service') return null;
      const out: ControlFailure[] = [];
      records(get(item.object, 'spec', 'ports')).forEach((p, i) => {
        if (!ctx.params.allowedServicePorts.includes(Number(p.port)))
          out.push(finding(`port ${String(p.port)} is not allowed`, `spec.ports[${i}].port`));
      });
      return out;
    },
  },
  {
    id: 'K8S-NET-12',
    title: 'Duplicate Service selector',
    severity: 'LOW',
    standards: [],
    scope: 'M*',
    version: 1,
    remediation: 'Give each Service a distinct selector.',
    check: onKinds(['Service'], (o, item, ctx) => {
      const selector = get(o, 'spec', 'selector');
      if (!isRecord(selector) || Object.keys(selector).length === 0) return [];
      const key = JSON.stringify(Object.entries(selector).sort());
      const dup = ctx.inventory
        .inNamespace(ns(o), 'Service')
        .find(
          (s) =>
            s !== item &&
            s.object.metadata.name !== o.metadata.name &&
            JSON.stringify(Object.entries((get(s.object, 'spec', 'selector') ?? {}) as object).sort()) ===
              key,
        );
      return dup
        ? [finding(`Service ${dup.object.metadata.name} has the same selector`, 'spec.selector')]
        : [];
    }),
  },
  {
    id: 'K8S-NET-13',
    title: 'Dangling references',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 1,
    remediation: 'Fix the selector or backend so that it points at an existing workload or Service.',
    check: (item, ctx) => {
      const o = item.object;
      if (o.kind === 'Service') {
        const selector = get(o, 'spec', 'selector');
        if (
          !isRecord(selector) ||
          Object.keys(selector).length === 0 ||
          get(o, 'spec', 'type') === 'ExternalName'
        )
          return [];
        const hit = podTemplatesIn(ctx, ns(o)).some((p) => selects(selector, p.labels, true));
        return hit ? [] : [finding('Service selector matches no pod', 'spec.selector')];
      }
      if (o.kind === 'Ingress' || o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
        const backends =
          o.kind === 'Ingress'
            ? ingressBackends(o)
            : records(get(o, 'spec', 'rules')).flatMap((r, i) =>
                records(r.backendRefs)
                  .filter((b) => b.kind === undefined || b.kind === 'Service')
                  .map((b, j) => ({
                    name: String(b.name),
                    field: `spec.rules[${i}].backendRefs[${j}]`,
                  })),
              );
        return backends
          .filter((b) => !ctx.inventory.find('Service', b.name, ns(o)))
          .map((b) => finding(`backend Service ${b.name} does not exist`, b.field));
      }
      return null;
    },
  },
  {
    id: 'K8S-NET-14',
    title: 'Externally exposed workload',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 1,
    remediation:
      'Confirm the workload must be reachable from outside; require authentication in front of it.',
    check: onPod((pod, item, ctx) => {
      const services = servicesSelecting(ctx, ns(item.object), pod.metadata.labels);
      const exposed = services.filter((s) =>
        ['LoadBalancer', 'NodePort'].includes(String(get(s.object, 'spec', 'type'))),
      );
      const names = new Set(services.map((s) => s.object.metadata.name));
      const viaIngress = ctx.inventory
        .inNamespace(ns(item.object), 'Ingress')
        .filter((i) => ingressBackends(i.object).some((b) => names.has(b.name)));
      const out = exposed.map((s) =>
        finding(`exposed by ${String(get(s.object, 'spec', 'type'))} Service ${s.object.metadata.name}`),
      );
      out.push(...viaIngress.map((i) => finding(`exposed by Ingress ${i.object.metadata.name}`)));
      for (const route of ctx.inventory.inNamespace(
        ns(item.object),
        'HTTPRoute',
        'GRPCRoute',
        'TCPRoute',
        'TLSRoute',
        'UDPRoute',
      )) {
        if (records(get(route.object, 'spec', 'parentRefs')).length === 0) continue;
        const backends = records(get(route.object, 'spec', 'rules')).flatMap((r) =>
          records(r.backendRefs).map((b) => String(b.name)),
        );
        if (backends.some((b) => names.has(b)))
          out.push(
            finding(`exposed by ${route.object.kind} ${route.object.metadata.name} through a Gateway`),
          );
      }
      for (const vs of ctx.inventory.ofKind('VirtualService')) {
        if (asArray(get(vs.object, 'spec', 'gateways')).filter((g) => g !== 'mesh').length === 0) continue;
        const hosts = ['http', 'tcp', 'tls'].flatMap((k) =>
          records(get(vs.object, 'spec', k)).flatMap((r) =>
            records(r.route).map((d) => String(get(d, 'destination', 'host') ?? '')),
          ),
        );
        const vsNs = ns(vs.object);
        const hit = hosts.some((h) => {
          const [name, hostNs] = h.split('.');
          return names.has(name!) && (hostNs ?? vsNs) === ns(item.object);
        });
        if (hit)
          out.push(finding(`exposed by Istio VirtualService ${vs.object.metadata.name} through a gateway`));
      }
      return out;
    }),
  },
  {
    id: 'K8S-NET-15',
    title: 'Kubernetes Dashboard deployed/exposed',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 1,
    remediation: 'Remove the Kubernetes Dashboard or keep it internal with a least-privilege ServiceAccount.',
    check: (item) => {
      if (!podSpecOf(item.object) && item.object.kind !== 'Service') return null;
      const name = item.object.metadata.name ?? '';
      const label =
        item.object.metadata.labels?.['k8s-app'] ??
        item.object.metadata.labels?.['app.kubernetes.io/name'] ??
        '';
      const sa = str(podSpecOf(item.object)?.spec.serviceAccountName) ?? '';
      return /kubernetes-dashboard/.test(name) ||
        /kubernetes-dashboard/.test(label) ||
        /kubernetes-dashboard/.test(sa)
        ? [finding('Kubernetes Dashboard is deployed')]
        : [];
    },
  },
  {
    id: 'K8S-NET-16',
    title: 'Instance metadata API reachable',
    severity: 'HIGH',
    standards: [],
    scope: 'C',
    version: 1,
    remediation:
      'Block egress to 169.254.169.254 with a NetworkPolicy (or use the cloud metadata concealment feature).',
    check: onKinds(['Namespace'], (o, _i, ctx) => {
      const name = o.metadata.name ?? '';
      if (SYSTEM_NAMESPACES.has(name)) return [];
      const blocks = ctx.inventory.inNamespace(name, 'NetworkPolicy').some((np) => {
        if (!policyTypes(np.object).includes('Egress')) return false;
        const egress = records(get(np.object, 'spec', 'egress'));
        return egress.every((rule) => {
          const to = records(rule.to);
          if (to.length === 0) return false;
          return to.every((peer) => {
            const cidr = str(get(peer, 'ipBlock', 'cidr'));
            if (!cidr) return true;
            const except = asArray(get(peer, 'ipBlock', 'except')).map(String);
            return (
              !cidr.startsWith('0.0.0.0/') ||
              except.some((e) => e.startsWith('169.254.169.254') || e.startsWith('169.254.0.0'))
            );
          });
        });
      });
      return blocks ? [] : [finding(`pods in namespace ${name} can reach the instance metadata API`)];
    }),
  },
];
