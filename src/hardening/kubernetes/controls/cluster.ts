import { podSpecOf } from '../objects/pod-spec.js';
import type { LoadedObject } from '../objects/types.js';
import { asArray, finding, get, onKinds, records, SYSTEM_NAMESPACES, str } from './helpers.js';
import type { Control, ControlFailure } from './types.js';

/** Flags of a kube-apiserver pod, or null when the object is not one. */
function apiServer(item: LoadedObject): Map<string, string> | null {
  const pod = podSpecOf(item.object);
  if (!pod) return null;
  for (const c of pod.containers) {
    const words = [...asArray(c.container.command), ...asArray(c.container.args)].map(String);
    if (!words.some((w) => /(^|\/)kube-apiserver$/.test(w))) continue;
    const flags = new Map<string, string>();
    for (const w of words) {
      const m = /^(--[\w-]+)(?:=(.*))?$/.exec(w);
      if (m) flags.set(m[1]!, m[2] ?? 'true');
    }
    return flags;
  }
  return null;
}

function onApiServer(test: (flags: Map<string, string>) => ControlFailure[]): Control['check'] {
  return (item) => {
    const flags = apiServer(item);
    return flags ? test(flags) : null;
  };
}

function minorOf(version: string | undefined): number | undefined {
  const m = version ? /v?1\.(\d+)/.exec(version) : null;
  return m ? Number(m[1]) : undefined;
}

const POLICY_KINDS = [
  'ValidatingAdmissionPolicy',
  'ConstraintTemplate',
  'ClusterPolicy',
  'Policy',
  'PodSecurityPolicy',
];

export const clusterControls: readonly Control[] = [
  {
    id: 'K8S-CL-01',
    title: 'No active policy enforcement',
    severity: 'MEDIUM',
    standards: ['cis', 'nsa'],
    scope: 'C',
    version: 1,
    remediation:
      'Label namespaces with pod-security.kubernetes.io/enforce or run an admission policy engine.',
    check: onKinds(['Namespace'], (o, _i, ctx) => {
      if (SYSTEM_NAMESPACES.has(o.metadata.name ?? '')) return [];
      if (o.metadata.labels?.['pod-security.kubernetes.io/enforce']) return [];
      if (ctx.inventory.ofKind(...POLICY_KINDS).length) return [];
      return [
        finding(
          `namespace ${o.metadata.name} has no Pod Security enforce label and no admission policy engine was found`,
          'metadata.labels',
        ),
      ];
    }),
  },
  {
    id: 'K8S-CL-02',
    title: 'Admission webhooks to review',
    severity: 'LOW',
    standards: [],
    scope: 'C',
    version: 1,
    remediation: 'Review third-party admission webhooks: each can read or change every object it matches.',
    check: onKinds(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'], (o) => {
      const out: ControlFailure[] = [];
      records(o.webhooks).forEach((w, i) => {
        const url = str(get(w, 'clientConfig', 'url'));
        const svcNs = str(get(w, 'clientConfig', 'service', 'namespace'));
        if (url || (svcNs && !SYSTEM_NAMESPACES.has(svcNs)))
          out.push(
            finding(
              `webhook ${String(w.name)} is served by ${url ?? `a Service in ${svcNs}`}`,
              `webhooks[${i}].clientConfig`,
            ),
          );
      });
      return out;
    }),
  },
  {
    id: 'K8S-CL-03',
    title: 'Secrets not encrypted at rest',
    severity: 'HIGH',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation:
      'Start kube-apiserver with --encryption-provider-config using a KMS or aescbc/secretbox provider.',
    check: onApiServer((f) =>
      f.has('--encryption-provider-config')
        ? []
        : [finding('kube-apiserver has no --encryption-provider-config')],
    ),
  },
  {
    id: 'K8S-CL-04',
    title: 'Audit logging disabled',
    severity: 'MEDIUM',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Start kube-apiserver with --audit-policy-file and --audit-log-path (or an audit webhook).',
    check: onApiServer((f) =>
      f.has('--audit-policy-file') && (f.has('--audit-log-path') || f.has('--audit-webhook-config-file'))
        ? []
        : [finding('kube-apiserver audit logging is not configured')],
    ),
  },
  {
    id: 'K8S-CL-05',
    title: 'Kubelet authentication weak',
    severity: 'CRITICAL',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation:
      'Set authentication.anonymous.enabled: false and authentication.x509.clientCAFile in the kubelet configuration.',
    check: onKinds(['KubeletConfiguration'], (o) => {
      const out: ControlFailure[] = [];
      if (get(o, 'authentication', 'anonymous', 'enabled') !== false)
        out.push(finding('kubelet allows anonymous requests', 'authentication.anonymous.enabled'));
      if (!str(get(o, 'authentication', 'x509', 'clientCAFile')))
        out.push(finding('kubelet does not verify client certificates', 'authentication.x509.clientCAFile'));
      if (get(o, 'authorization', 'mode') === 'AlwaysAllow')
        out.push(finding('kubelet authorization mode is AlwaysAllow', 'authorization.mode'));
      return out;
    }),
  },
  {
    id: 'K8S-CL-06',
    title: 'API server insecure port',
    severity: 'CRITICAL',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Set --insecure-port=0 (or upgrade: the flag is gone since 1.24).',
    check: onApiServer((f) => {
      const port = f.get('--insecure-port');
      return port !== undefined && port !== '0' ? [finding(`kube-apiserver --insecure-port=${port}`)] : [];
    }),
  },
  {
    id: 'K8S-CL-07',
    title: 'RBAC authorization off',
    severity: 'HIGH',
    standards: [],
    scope: 'C',
    version: 1,
    remediation: 'Start kube-apiserver with --authorization-mode=Node,RBAC.',
    check: onApiServer((f) => {
      const modes = (f.get('--authorization-mode') ?? 'AlwaysAllow').split(',');
      return modes.includes('RBAC') && !modes.includes('AlwaysAllow')
        ? []
        : [finding(`kube-apiserver --authorization-mode=${modes.join(',')}`)];
    }),
  },
  {
    id: 'K8S-CL-08',
    title: 'Outdated Kubernetes version',
    severity: 'LOW',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Upgrade the control plane and nodes to a supported minor release.',
    check: (item, ctx) => {
      const o = item.object;
      const version =
        o.kind === 'Node'
          ? str(get(o, 'status', 'nodeInfo', 'kubeletVersion'))
          : o.kind === 'Cluster'
            ? str(get(o, 'status', 'version'))
            : undefined;
      if (o.kind !== 'Node' && o.kind !== 'Cluster') return null;
      const minor = minorOf(version);
      const min = minorOf(ctx.params.minSupportedVersion) ?? 0;
      if (minor === undefined) return [];
      return minor < min
        ? [
            finding(
              `version ${version} is older than the oldest supported 1.${min}`,
              o.kind === 'Node' ? 'status.nodeInfo.kubeletVersion' : 'status.version',
            ),
          ]
        : [];
    },
  },
];
