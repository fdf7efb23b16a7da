import { stringify } from 'yaml';
import { TOOL } from '../core/version.js';
import type { WebhookCertificates } from '../tls/certificates.js';
import { type KindResource, mutatedKinds, neededKinds } from './kinds.js';
import { policyMutates } from './mutate.js';
import { policyNeedsNamespaces } from './namespaces.js';
import type { AdmissionPolicy } from './policy.js';
import type { FailurePolicy } from './server.js';

export interface ManifestOptions {
  policy: AdmissionPolicy;
  certificates: WebhookCertificates;
  namespace: string;
  name: string;
  image: string;
  failurePolicy: FailurePolicy;
  /** The policy file's text, mounted from a ConfigMap; without it the Deployment runs the default bundle. */
  policyText?: string;
  mode?: string;
}

const PORT = 8443;
/** Where the API server client (`--in-cluster`) reads the service account token, CA and namespace. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * The objects that install the webhook: ServiceAccount, certificate Secret, policy ConfigMap, Deployment
 * (2 replicas, non-root, read-only root filesystem, probes), Service, PodDisruptionBudget, NetworkPolicy and the
 * ValidatingWebhookConfiguration (only the kinds the policy needs, CREATE/UPDATE, the failure policy,
 * timeoutSeconds 3, sideEffects None, exempt namespaces left out by a namespaceSelector), and the
 * MutatingWebhookConfiguration (POST /mutate, the kinds the mutations need) when the policy mutates. When it selects
 * by namespace labels, the server runs with `--in-cluster`: a ClusterRole that only gets, lists and watches
 * Namespaces, its binding, a projected service account token (automounting stays off) and egress to the API server.
 */
export function webhookManifests(o: ManifestOptions): Record<string, unknown>[] {
  const labels = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/part-of': 'bulkhead' };
  const metadata = (name = o.name) => ({ name, namespace: o.namespace, labels });
  const namespaces = policyNeedsNamespaces(o.policy);
  // Selectors match names exactly: globs among the exempt namespaces are still skipped by the server itself.
  const exact = o.policy.exemptNamespaces.filter((n) => !/[*?[\]{}!]/.test(n));
  /** One webhook of a configuration: the kinds it receives, on CREATE and UPDATE, at its path of the Service. */
  const webhook = (name: string, path: string, kinds: readonly KindResource[]) => ({
    name,
    admissionReviewVersions: ['v1', 'v1beta1'],
    clientConfig: {
      service: { name: o.name, namespace: o.namespace, path, port: 443 },
      caBundle: b64(o.certificates.caCert),
    },
    rules: rulesOf(kinds),
    failurePolicy: o.failurePolicy,
    matchPolicy: 'Equivalent',
    sideEffects: 'None',
    timeoutSeconds: 3,
    ...(exact.length
      ? {
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: exact }],
          },
        }
      : {}),
  });
  const args = [
    'admission',
    'serve',
    '--address',
    '0.0.0.0',
    '--port',
    String(PORT),
    '--tls-cert',
    '/etc/bulkhead/tls/tls.crt',
    '--tls-key',
    '/etc/bulkhead/tls/tls.key',
    '--failure-policy',
    o.failurePolicy,
    ...(o.policyText ? ['--policy', '/etc/bulkhead/policy/policy.yaml'] : []),
    ...(o.mode ? ['--mode', o.mode] : []),
    ...(namespaces ? ['--in-cluster'] : []),
  ];
  const probe = (path: string) => ({
    httpGet: { path, port: PORT, scheme: 'HTTPS' },
    periodSeconds: 10,
    timeoutSeconds: 2,
  });
  const podLabels = { ...labels };
  // The kubelet's automounted volume, made explicit: a short-lived token only this container mounts.
  const apiTokenVolume = {
    name: 'api-token',
    projected: {
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
  // Egress to the API server (its Service port 443 and the usual endpoint port 6443), never to instance metadata.
  const apiEgress = {
    to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ipBlock: { cidr: '::/0' } }],
    ports: [
      { port: 443, protocol: 'TCP' },
      { port: 6443, protocol: 'TCP' },
    ],
  };
  const rbac = namespaces
    ? [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: `${o.name}-namespaces`, labels },
          rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: `${o.name}-namespaces`, labels },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: `${o.name}-namespaces`,
          },
          subjects: [{ kind: 'ServiceAccount', name: o.name, namespace: o.namespace }],
        },
      ]
    : [];
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata(`${o.name}-tls`),
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': b64(o.certificates.cert),
        'tls.key': b64(o.certificates.key),
        'ca.crt': b64(o.certificates.caCert),
      },
    },
    ...(o.policyText
      ? [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: metadata(`${o.name}-policy`),
            data: { 'policy.yaml': o.policyText },
          },
        ]
      : []),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(),
      spec: {
        replicas: 2,
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: podLabels },
          spec: {
            serviceAccountName: o.name,
            automountServiceAccountToken: false,
            priorityClassName: 'system-cluster-critical',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              fsGroup: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: podLabels },
              },
            ],
            containers: [
              {
                name: 'webhook',
                image: o.image,
                imagePullPolicy: 'IfNotPresent',
                args,
                env: [{ name: 'BULKHEAD_HOME', value: '/var/lib/bulkhead' }],
                ports: [{ name: 'https', containerPort: PORT, protocol: 'TCP' }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                resources: {
                  requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
                  limits: { cpu: '1', memory: '256Mi', 'ephemeral-storage': '256Mi' },
                },
                livenessProbe: probe('/healthz'),
                readinessProbe: probe('/readyz'),
                startupProbe: { ...probe('/healthz'), failureThreshold: 30, periodSeconds: 2 },
                volumeMounts: [
                  { name: 'tls', mountPath: '/etc/bulkhead/tls', readOnly: true },
                  ...(o.policyText
                    ? [{ name: 'policy', mountPath: '/etc/bulkhead/policy', readOnly: true }]
                    : []),
                  { name: 'data', mountPath: '/var/lib/bulkhead' },
                  ...(namespaces
                    ? [{ name: 'api-token', mountPath: SERVICE_ACCOUNT_DIR, readOnly: true }]
                    : []),
                ],
              },
            ],
            volumes: [
              { name: 'tls', secret: { secretName: `${o.name}-tls` } },
              ...(o.policyText ? [{ name: 'policy', configMap: { name: `${o.name}-policy` } }] : []),
              { name: 'data', emptyDir: { sizeLimit: '128Mi' } },
              ...(namespaces ? [apiTokenVolume] : []),
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(),
      spec: {
        type: 'ClusterIP',
        selector: podLabels,
        ports: [{ name: 'https', port: 443, targetPort: PORT, protocol: 'TCP' }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(),
      spec: { minAvailable: 1, selector: { matchLabels: podLabels } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(),
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: PORT, protocol: 'TCP' }] }],
        egress: namespaces ? [apiEgress] : [],
      },
    },
    ...rbac,
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: o.name, labels },
      webhooks: [webhook('validate.admission.bulkhead.dev', '/validate', neededKinds(o.policy))],
    },
    // the API server calls mutating webhooks first; IfNeeded: again after a later webhook (a sidecar injector)
    // added containers, so that they get the defaults too
    ...(policyMutates(o.policy)
      ? [
          {
            apiVersion: 'admissionregistration.k8s.io/v1',
            kind: 'MutatingWebhookConfiguration',
            metadata: { name: o.name, labels },
            webhooks: [
              {
                ...webhook('mutate.admission.bulkhead.dev', '/mutate', mutatedKinds(o.policy)),
                reinvocationPolicy: 'IfNeeded',
              },
            ],
          },
        ]
      : []),
  ];
}

/** Webhook rules for kinds, grouped by API group: CREATE and UPDATE, any version, any scope. */
function rulesOf(kinds: readonly KindResource[]): Record<string, unknown>[] {
  const byGroup = new Map<string, string[]>();
  for (const k of kinds) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), ...k.resources]);
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    apiVersions: ['*'],
    operations: ['CREATE', 'UPDATE'],
    resources,
    scope: '*',
  }));
}

/** Multi-document YAML of the manifests, with a header naming the generator. */
export function manifestsYaml(objects: readonly Record<string, unknown>[]): string {
  return `# ${TOOL.name} ${TOOL.version} admission webhook\n${objects.map((o) => `---\n${stringify(o)}`).join('')}`;
}

/** The DNS names the webhook's certificate must carry for its Service. */
export function serviceDnsNames(name: string, namespace: string): string[] {
  return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
}
