import { userRegex } from '../../../regex/re2.js';
import { deprecationOf, kubernetesMinor } from '../deprecated-apis.js';
import { podSpecOf } from '../objects/pod-spec.js';
import { asArray, finding, get, isRecord, onKinds, podTemplates, records, str } from './helpers.js';
import type { Control, ControlFailure } from './types.js';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENCRYPTION_PARAMS =
  /^(encrypted|kmsKeyId|diskEncryptionSetID|disk-encryption-kms-key|csi\.storage\.k8s\.io\/node-stage-secret-name|encryption)$/i;
const IN_TREE_PROVISIONER =
  /^kubernetes\.io\/(aws-ebs|gce-pd|azure-disk|azure-file|cinder|vsphere-volume|portworx-volume|rbd|glusterfs|quobyte|scaleio|storageos)$/;

function requiredKeys(
  map: Record<string, string>,
  rules: { key: string; allowedRegex?: string | undefined }[],
  what: string,
  field: string,
): ControlFailure[] {
  const out: ControlFailure[] = [];
  for (const rule of rules) {
    const value = map[rule.key];
    if (value === undefined) out.push(finding(`${what} ${rule.key} is missing`, field));
    else if (rule.allowedRegex && !userRegex(rule.allowedRegex).test(value))
      out.push(
        finding(`${what} ${rule.key}=${value} does not match ${rule.allowedRegex}`, `${field}.${rule.key}`),
      );
  }
  return out;
}

/**
 * Storage the provider encrypts at rest whatever the class says: Azure managed disks, Files and Blob (storage
 * service encryption) and Google persistent disks and Filestore. Amazon EBS is encrypted only when asked
 * (`encrypted: "true"`, or an account default the manifests cannot show).
 */
const ENCRYPTED_BY_PROVIDER =
  /^(([a-z0-9-]+\.csi\.azure\.com)|kubernetes\.io\/azure-(disk|file)|([a-z0-9-]+\.csi\.storage\.gke\.io)|kubernetes\.io\/gce-pd)$/;
/** In-tree PersistentVolume sources of that storage. */
const ENCRYPTED_IN_TREE = ['azureDisk', 'azureFile', 'gcePersistentDisk'];

function scEncrypted(sc: Record<string, unknown> | undefined): boolean {
  if (ENCRYPTED_BY_PROVIDER.test(str(sc?.provisioner) ?? '')) return true;
  const params = isRecord(sc?.parameters) ? sc.parameters : {};
  return Object.entries(params).some(([k, v]) => ENCRYPTION_PARAMS.test(k) && String(v) !== 'false');
}

/** Kinds that have no namespace. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'APIService',
  'CertificateSigningRequest',
  'PodSecurityPolicy',
  'ClusterIssuer',
  'ClusterPolicy',
  'ConstraintTemplate',
  'KubeletConfiguration',
  'List',
]);

export const namespaceControls: readonly Control[] = [
  {
    id: 'K8S-NS-01',
    title: 'Default namespace used',
    severity: 'LOW',
    standards: ['cis', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Create workloads in a dedicated namespace, not default.',
    check: (item) => {
      const k = item.object.kind;
      if (CLUSTER_SCOPED_KINDS.has(k) || k === 'Cluster') return null;
      if (k === 'ConfigMap' && item.object.metadata.name === 'kube-root-ca.crt') return [];
      if (k === 'Endpoints' && item.object.metadata.name === 'kubernetes') return [];
      if (k === 'EndpointSlice' && item.object.metadata.name === 'kubernetes') return [];
      if (k === 'Service' && item.object.metadata.name === 'kubernetes') return [];
      if (k === 'ServiceAccount' && item.object.metadata.name === 'default') return []; // an omitted namespace in a manifest is whatever `kubectl -n` says: only an explicit default counts
      const namespace = item.object.metadata.namespace;
      if (namespace === undefined) return null;
      return namespace === 'default'
        ? [finding(`${k} is in the default namespace`, 'metadata.namespace')]
        : [];
    },
  },
  {
    id: 'K8S-NS-02',
    title: 'No namespace boundaries',
    severity: 'LOW',
    standards: ['cis', 'nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Give each team or application its own namespace.',
    check: onKinds(['Cluster'], (_o, _i, ctx) => {
      const apps = new Map<string, Set<string>>();
      for (const p of podTemplates(ctx)) {
        const app =
          p.labels['app.kubernetes.io/part-of'] ??
          p.labels['app.kubernetes.io/name'] ??
          p.labels.app ??
          p.item.object.metadata.name ??
          '';
        if (!apps.has(p.namespace)) apps.set(p.namespace, new Set());
        apps.get(p.namespace)!.add(app);
      }
      const shared = apps.get('default');
      return shared && shared.size > 1
        ? [finding(`${shared.size} applications share the default namespace`)]
        : [];
    }),
  },
  {
    id: 'K8S-NS-03',
    title: 'Required labels missing or invalid',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Add the required labels with valid values (63 characters, alphanumerics, - _ .).',
    check: (item, ctx) => {
      const labels = item.object.metadata.labels ?? {};
      const out = requiredKeys(labels, ctx.params.requiredLabels, 'label', 'metadata.labels');
      const anyOf = ctx.params.anyOfLabels;
      if (anyOf.length && !anyOf.some((k) => k in labels))
        out.push(finding(`none of the labels ${anyOf.join(', ')} is set`, 'metadata.labels'));
      const template = podSpecOf(item.object);
      if (
        anyOf.length &&
        template &&
        item.object.kind !== 'Pod' &&
        !anyOf.some((k) => k in template.metadata.labels)
      )
        out.push(
          finding(
            `none of the labels ${anyOf.join(', ')} is set on the pod template`,
            `${template.path.replace(/\.spec$/, '.metadata')}.labels`,
          ),
        );
      const check = (map: Record<string, unknown>, field: string) => {
        if (!ctx.params.validateLabelValues) return;
        for (const [k, v] of Object.entries(map)) {
          const s = v === null ? '' : String(v);
          if (s.length > 63 || !LABEL_VALUE.test(s))
            out.push(finding(`label ${k} has an invalid value "${s}"`, `${field}.${k}`));
        }
      };
      check(isRecord(labels) ? labels : {}, 'metadata.labels');
      const pod = podSpecOf(item.object);
      if (pod) check(pod.metadata.labels, `${pod.path.replace(/\.spec$/, '.metadata')}.labels`);
      return out;
    },
  },
  {
    id: 'K8S-NS-04',
    title: 'Required annotations missing',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Add the required annotations (parameter requiredAnnotations).',
    check: (item, ctx) =>
      ctx.params.requiredAnnotations.length === 0
        ? null
        : requiredKeys(
            item.object.metadata.annotations ?? {},
            ctx.params.requiredAnnotations,
            'annotation',
            'metadata.annotations',
          ),
  },
  {
    id: 'K8S-NS-05',
    title: 'Reserved labels/taints used',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Do not set platform-reserved labels; keep the CriticalAddonsOnly taint on the system pool.',
    check: (item, ctx) => {
      const o = item.object;
      if (o.kind === 'Node') {
        const system = o.metadata.labels?.['kubernetes.azure.com/mode'] === 'system';
        const tainted = records(get(o, 'spec', 'taints')).some((t) => t.key === 'CriticalAddonsOnly');
        return tainted && !system
          ? [finding('CriticalAddonsOnly taint outside the system pool', 'spec.taints')]
          : [];
      }
      const pod = podSpecOf(o);
      if (!pod) return null;
      const reserved = (map: Record<string, string>) =>
        Object.keys(map).filter((k) => ctx.params.reservedLabelPrefixes.some((p) => k.startsWith(p)));
      const hits = [...reserved(o.metadata.labels ?? {}), ...reserved(pod.metadata.labels)];
      return hits.length
        ? [finding(`reserved labels ${[...new Set(hits)].join(', ')}`, 'metadata.labels')]
        : [];
    },
  },
  {
    id: 'K8S-NS-06',
    title: 'Restricted resource type',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Do not create this kind here (parameter restrictedKinds).',
    check: (item, ctx) =>
      ctx.params.restrictedKinds.length === 0
        ? null
        : ctx.params.restrictedKinds.includes(item.object.kind)
          ? [finding(`${item.object.kind} objects are restricted`, 'kind')]
          : [],
  },
  {
    id: 'K8S-NS-07',
    title: 'Naked pod',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Run pods through a Deployment, StatefulSet, DaemonSet or Job.',
    check: onKinds(['Pod'], (o) =>
      asArray(o.metadata.ownerReferences).length === 0
        ? [finding('Pod has no owning controller', 'metadata.ownerReferences')]
        : [],
    ),
  },
  {
    id: 'K8S-NS-08',
    title: 'Deprecated/removed API version',
    severity: 'MEDIUM',
    standards: ['best-practices'],
    scope: 'M',
    version: 2,
    remediation: 'Move the object to the current apiVersion of its kind.',
    check: (item, ctx) => {
      const custom = ctx.params.deprecatedApis;
      if (custom) {
        const entry = custom.find(
          (d) => d.apiVersion === item.object.apiVersion && d.kinds.includes(item.object.kind),
        );
        return entry
          ? [
              finding(
                `${entry.apiVersion} ${item.object.kind} is deprecated${entry.targetApiVersion ? `; use ${entry.targetApiVersion}` : ''}`,
                'apiVersion',
              ),
            ]
          : [];
      }
      const target = kubernetesMinor(ctx.params.targetKubernetesVersion) ?? Number.POSITIVE_INFINITY;
      const hit = deprecationOf(item.object.apiVersion, item.object.kind);
      if (!hit || hit.deprecated > target) return [];
      const removed = hit.removed <= target;
      if (ctx.params.deprecatedApisRemovedOnly && !removed) return [];
      const use = hit.replacement ? `; use ${hit.replacement}` : '';
      return [
        finding(
          removed
            ? `${item.object.apiVersion} ${item.object.kind} is no longer served from Kubernetes 1.${hit.removed}${use}`
            : `${item.object.apiVersion} ${item.object.kind} is deprecated since Kubernetes 1.${hit.deprecated}, no longer served from 1.${hit.removed}${use}`,
          'apiVersion',
        ),
      ];
    },
  },
  {
    id: 'K8S-NS-09',
    title: 'Storage class',
    severity: 'LOW',
    standards: [],
    scope: 'M*',
    version: 1,
    remediation: 'Name an allowed, CSI-backed storageClassName on every claim.',
    check: (item, ctx) => {
      const o = item.object;
      const allowed = ctx.params.allowedStorageClasses;
      const claim = (spec: unknown, field: string): ControlFailure[] => {
        const name = str(get(spec, 'storageClassName'));
        if (!name) return [finding('no storageClassName', `${field}.storageClassName`)];
        if (ctx.params.requireStorageClassExists && !ctx.inventory.find('StorageClass', name))
          return [finding(`storage class ${name} does not exist`, `${field}.storageClassName`)];
        if (ctx.params.deniedStorageClasses.includes(name))
          return [finding(`storage class ${name} is denied`, `${field}.storageClassName`)];
        if (allowed.length && !allowed.includes(name))
          return [finding(`storage class ${name} is not allowed`, `${field}.storageClassName`)];
        return [];
      };
      if (o.kind === 'PersistentVolumeClaim') return claim(o.spec, 'spec');
      if (o.kind === 'StatefulSet')
        return records(get(o, 'spec', 'volumeClaimTemplates')).flatMap((t, i) =>
          claim(t.spec, `spec.volumeClaimTemplates[${i}].spec`),
        );
      if (o.kind === 'StorageClass') {
        const p = str(o.provisioner) ?? '';
        return IN_TREE_PROVISIONER.test(p)
          ? [finding(`provisioner ${p} is an in-tree driver, not CSI`, 'provisioner')]
          : [];
      }
      return null;
    },
  },
  {
    id: 'K8S-NS-10',
    title: 'PersistentVolume not encrypted',
    severity: 'MEDIUM',
    standards: [],
    scope: 'C',
    version: 1,
    remediation:
      'Use a StorageClass with encryption parameters (encrypted, kmsKeyId…), or storage the provider encrypts by default.',
    check: (item, ctx) => {
      const o = item.object;
      if (o.kind === 'StorageClass') {
        const p = str(o.provisioner) ?? '';
        if (!/ebs|pd\.csi|gce-pd|azure-disk|disk\.csi\.azure|aws|gcp/.test(p)) return [];
        return scEncrypted(o)
          ? []
          : [finding(`StorageClass ${o.metadata.name} has no encryption parameters`, 'parameters')];
      }
      if (o.kind !== 'PersistentVolume') return null;
      const scName = str(get(o, 'spec', 'storageClassName'));
      const sc = scName ? ctx.inventory.find('StorageClass', scName) : undefined;
      if (sc)
        return scEncrypted(sc)
          ? []
          : [finding(`StorageClass ${scName} has no encryption parameters`, 'spec.storageClassName')];
      const attrs = get(o, 'spec', 'csi', 'volumeAttributes');
      if (
        ENCRYPTED_BY_PROVIDER.test(str(get(o, 'spec', 'csi', 'driver')) ?? '') ||
        ENCRYPTED_IN_TREE.some((k) => get(o, 'spec', k) !== undefined)
      )
        return [];
      if (
        isRecord(attrs) &&
        Object.entries(attrs).some(([k, v]) => /encrypt/i.test(k) && String(v) === 'true')
      )
        return [];
      const cloud = ['awsElasticBlockStore', 'azureDisk', 'gcePersistentDisk', 'csi'].find(
        (k) => get(o, 'spec', k) !== undefined,
      );
      return cloud ? [finding(`${cloud} volume without encryption`, `spec.${cloud}`)] : [];
    },
  },
  {
    id: 'K8S-NS-11',
    title: 'Cronjob present',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Review CronJobs (a common persistence technique); suspend or delete those nobody owns.',
    check: onKinds(['CronJob'], (o) =>
      get(o, 'spec', 'suspend') === true
        ? []
        : [
            finding(
              `CronJob ${o.metadata.name} runs on schedule ${String(get(o, 'spec', 'schedule'))}`,
              'spec.schedule',
            ),
          ],
    ),
  },
];
