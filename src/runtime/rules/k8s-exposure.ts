import type { Json } from '../event.js';
import {
  basicEvidence,
  exposedService,
  isResource,
  namespace,
  ok,
  openToWorld,
  podSpecOf,
  serviceLabels,
  servicePorts,
  targetName,
  verbIn,
} from './lib/k8s.js';
import type { Rule } from './types.js';

const T1133 = { tactic: 'Initial Access', technique: 'T1133 External Remote Services' };
const LB_FIX =
  'Expose the service through an authenticated ingress or restrict spec.loadBalancerSourceRanges; change its type to ClusterIP if it needs no outside access.';

function svcEvidence(a: Parameters<typeof basicEvidence>[0], svc: Json) {
  return {
    ...basicEvidence(a),
    type: svc?.spec?.type,
    selector: svc?.spec?.selector,
    ports: servicePorts(svc),
    loadBalancerSourceRanges: svc?.spec?.loadBalancerSourceRanges ?? [],
  };
}

const named = (svc: Json, a: Json) => `${svc?.metadata?.name ?? targetName(a)}`;

export const k8sExposureRules: Rule[] = [
  {
    id: 'RT-K8S-01',
    title: 'Kubernetes dashboard exposed through a load balancer',
    severity: 'High',
    ...T1133,
    source: 'k8s-audit',
    resources: ['services'],
    defender: ['K8S_ExposedDashboard'],
    evidence: ['user', 'namespace', 'name', 'selector', 'ports'],
    remediation: LB_FIX,
    when(e) {
      const a = e.audit;
      const svc = a && exposedService(a);
      if (!a || !svc) return undefined;
      const labels = serviceLabels(svc);
      const name = named(svc, a);
      const dash =
        labels['k8s-app'] === 'kubernetes-dashboard' ||
        labels['app.kubernetes.io/name'] === 'kubernetes-dashboard' ||
        ['kubernetes-dashboard', 'kubernetes-dashboard-web', 'kubernetes-dashboard-kong-proxy'].includes(
          name,
        ) ||
        namespace(a) === 'kubernetes-dashboard';
      return dash ? { evidence: svcEvidence(a, svc) } : undefined;
    },
  },
  {
    id: 'RT-K8S-02',
    title: 'Kubeflow dashboard exposed through a load balancer',
    severity: 'Medium',
    ...T1133,
    source: 'k8s-audit',
    defender: ['K8S_ExposedKubeflow'],
    evidence: ['user', 'namespace', 'name', 'selector'],
    remediation: LB_FIX,
    when(e, ctx) {
      const a = e.audit;
      if (!a) return undefined;
      // remember that a kubeflow namespace exists (Json event naming it)
      if (namespace(a) === 'kubeflow' || (isResource(a, 'namespaces') && targetName(a) === 'kubeflow'))
        ctx.once('k8s:namespace:kubeflow');
      const svc = exposedService(a);
      if (!svc) return undefined;
      const labels = serviceLabels(svc);
      const gateway =
        (named(svc, a) === 'istio-ingressgateway' && namespace(a) === 'istio-system') ||
        labels.istio === 'ingressgateway';
      return gateway && ctx.seen('k8s:namespace:kubeflow') ? { evidence: svcEvidence(a, svc) } : undefined;
    },
  },
  {
    id: 'RT-K8S-03',
    title: 'Sensitive management service exposed through a load balancer',
    severity: 'Medium',
    ...T1133,
    source: 'k8s-audit',
    resources: ['services'],
    defender: ['K8S_ExposedService'],
    evidence: ['user', 'namespace', 'name', 'selector', 'ports', 'application'],
    remediation: LB_FIX,
    when(e, ctx) {
      const a = e.audit;
      const svc = a && exposedService(a);
      if (!a || !svc || !openToWorld(svc)) return undefined;
      const labels = serviceLabels(svc);
      const ports = servicePorts(svc);
      const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const app = (ctx.lists.management_services ?? []).find(
        (m: Json) =>
          (m.selector && pairs.includes(m.selector)) || m.name === named(svc, a) || ports.includes(m.port),
      );
      return app ? { evidence: { ...svcEvidence(a, svc), application: app.name } } : undefined;
    },
  },
  {
    id: 'RT-K8S-04',
    title: 'Redis exposed through a load balancer',
    severity: 'Low',
    ...T1133,
    source: 'k8s-audit',
    resources: ['services'],
    defender: ['K8S_ExposedRedis'],
    evidence: ['user', 'namespace', 'name', 'selector', 'ports'],
    remediation: LB_FIX,
    when(e) {
      const a = e.audit;
      const svc = a && exposedService(a);
      if (!a || !svc || !openToWorld(svc)) return undefined;
      const text = `${named(svc, a)} ${Object.values(serviceLabels(svc)).join(' ')}`;
      return /redis/i.test(text) || servicePorts(svc).includes(6379)
        ? { evidence: svcEvidence(a, svc) }
        : undefined;
    },
  },
  {
    id: 'RT-K8S-05',
    title: 'Postgres with trust authentication exposed',
    severity: 'Medium',
    tactic: 'Initial Access',
    technique: 'T1133 External Remote Services, T1078 Valid Accounts',
    source: 'k8s-audit',
    defender: ['K8S_ExposedPostgresTrustAuth'],
    evidence: ['user', 'namespace', 'name', 'selector', 'workload'],
    remediation: `${LB_FIX} Remove POSTGRES_HOST_AUTH_METHOD=trust and "trust" lines from pg_hba.conf.`,
    when(e, ctx) {
      const a = e.audit;
      if (!a) return undefined;
      // remember workloads that run Postgres with trust authentication, by namespace and labels
      if (ok(a) && verbIn(a, 'create', 'update', 'patch')) {
        const spec = podSpecOf(a.requestObject);
        const trust = (spec?.containers ?? []).some((c: Json) =>
          (c.env ?? []).some((v: Json) => v?.name === 'POSTGRES_HOST_AUTH_METHOD' && v?.value === 'trust'),
        );
        if (trust) {
          const labels =
            a.requestObject?.spec?.template?.metadata?.labels ?? a.requestObject?.metadata?.labels ?? {};
          for (const [k, v] of Object.entries(labels)) ctx.once(`k8s:pgtrust:${namespace(a)}:${k}=${v}`);
        }
      }
      const svc = exposedService(a);
      if (!svc || !openToWorld(svc)) return undefined;
      const isPg =
        /postgres/i.test(`${named(svc, a)} ${Object.values(serviceLabels(svc)).join(' ')}`) ||
        servicePorts(svc).includes(5432);
      if (!isPg) return undefined;
      const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`);
      const hit = selector.find((s) => ctx.seen(`k8s:pgtrust:${namespace(a)}:${s}`));
      return hit ? { evidence: { ...svcEvidence(a, svc), workload: hit } } : undefined;
    },
  },
  {
    id: 'RT-K8S-06',
    title: 'Postgres exposed to a broad address range',
    severity: 'Medium',
    ...T1133,
    source: 'k8s-audit',
    resources: ['services'],
    defender: ['K8S_ExposedPostgresBroadIPRange'],
    evidence: ['user', 'namespace', 'name', 'loadBalancerSourceRanges'],
    remediation: LB_FIX,
    when(e, ctx) {
      const a = e.audit;
      const svc = a && exposedService(a);
      if (!a || !svc) return undefined;
      const isPg =
        /postgres/i.test(`${named(svc, a)} ${Object.values(serviceLabels(svc)).join(' ')}`) ||
        servicePorts(svc).includes(5432);
      const prefix = Number(ctx.lists.postgres_min_prefix ?? 16);
      return isPg && openToWorld(svc, prefix) ? { evidence: svcEvidence(a, svc) } : undefined;
    },
  },
  {
    id: 'RT-K8S-07',
    title: 'NodePort service created',
    severity: 'Medium',
    ...T1133,
    source: 'k8s-audit',
    resources: ['services'],
    falco: ['Create NodePort Service'],
    evidence: ['user', 'namespace', 'name', 'ports'],
    remediation: 'Use ClusterIP services behind an ingress; NodePort opens the port on every node.',
    when(e) {
      const a = e.audit;
      if (!a || (a.stage ?? 'ResponseComplete') !== 'ResponseComplete') return undefined;
      if (!isResource(a, 'services') || !verbIn(a, 'create')) return undefined;
      return a.requestObject?.spec?.type === 'NodePort'
        ? { evidence: { ...basicEvidence(a), ports: servicePorts(a.requestObject) } }
        : undefined;
    },
  },
];
