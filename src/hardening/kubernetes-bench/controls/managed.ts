import type { Control } from '../types.js';
import { type FileSpec, flagSpec as f, fileControl, type SettingSpec, settingControl } from './helpers.js';

/**
 * The managed-cluster benchmarks (EKS 1.8.0, GKE 1.9.0, AKS 1.8): the provider runs the control plane, so only the
 * worker node section (3: files, kubelet) is judged on the node. Their rows differ from CIS 4.x in numbering, in
 * the modes (644 for kubeconfig and config files) and in what an absent kubelet setting means; policies (4) and
 * managed services (5) are not catalogued for them yet.
 */
type Variant = 'eks-1.8' | 'gke-1.9' | 'aks-1.8';

const K = 'kubelet' as const;
const fix = (what: string) =>
  `In the kubelet config file ${what}, or set the flag in the kubelet's unit (node bootstrap / node pool settings), then restart the kubelet.`;

function file(id: string, title: string, spec: Omit<FileSpec, 'describe'> & { describe: string }): Control {
  return fileControl({
    id,
    title,
    target: 'node',
    automated: true,
    ...spec,
    remediation: spec.maxMode
      ? `On each worker node: chmod ${spec.maxMode.toString(8)} <${spec.describe}>.`
      : `On each worker node: chown root:root <${spec.describe}>.`,
  });
}

function kubelet(
  id: string,
  title: string,
  settings: SettingSpec[],
  remediation: string,
  any = false,
): Control {
  return settingControl({
    id,
    title,
    target: 'node',
    automated: true,
    severity: 'HIGH',
    settings,
    any,
    remediation,
  });
}

function files(variant: Variant): Control[] {
  const kubeconfig: FileSpec['file'] = variant === 'gke-1.9' ? 'proxy-kubeconfig' : 'kubelet-kubeconfig';
  const kc = variant === 'gke-1.9' ? 'kube-proxy kubeconfig' : 'kubelet kubeconfig';
  const config = variant === 'aks-1.8' ? 'azure.json' : 'kubelet configuration';
  return [
    file('3.1.1', 'Ensure that the kubeconfig file permissions are set to 644 or more restrictive', {
      file: kubeconfig,
      maxMode: 0o644,
      describe: kc,
    }),
    file('3.1.2', 'Ensure that the kubelet kubeconfig file ownership is set to root:root', {
      file: kubeconfig,
      owner: 'root:root',
      describe: kc,
    }),
    file('3.1.3', `Ensure that the ${config} file has permissions set to 644 or more restrictive`, {
      file: 'kubelet-config',
      maxMode: 0o644,
      describe: 'kubelet config file',
    }),
    file('3.1.4', `Ensure that the ${config} file ownership is set to root:root`, {
      file: 'kubelet-config',
      owner: 'root:root',
      describe: 'kubelet config file',
    }),
  ];
}

function kubeletRows(variant: Variant): Control[] {
  return [
    kubelet(
      '3.2.1',
      'Ensure that the Anonymous Auth is Not Enabled',
      [
        f(K, 'anonymous-auth', { op: 'eq', value: 'false' }, 'fail', {
          config: 'authentication.anonymous.enabled',
        }),
      ],
      fix('set authentication.anonymous.enabled: false'),
    ),
    kubelet(
      '3.2.2',
      'Ensure that the --authorization-mode argument is not set to AlwaysAllow',
      [
        f(K, 'authorization-mode', { op: 'nothave', value: 'AlwaysAllow' }, 'fail', {
          config: 'authorization.mode',
        }),
      ],
      fix('set authorization.mode: Webhook'),
    ),
    kubelet(
      '3.2.3',
      'Ensure that a Client CA File is Configured',
      [f(K, 'client-ca-file', { op: 'set' }, 'fail', { config: 'authentication.x509.clientCAFile' })],
      fix('set authentication.x509.clientCAFile'),
    ),
    // the managed benchmarks want the port disabled explicitly (the kubelet's flag default is 10255)
    kubelet(
      '3.2.4',
      'Ensure that the --read-only-port is disabled',
      [f(K, 'read-only-port', { op: 'eq', value: '0' }, 'fail', { config: 'readOnlyPort' })],
      fix('set readOnlyPort: 0'),
    ),
    kubelet(
      '3.2.5',
      'Ensure that the --streaming-connection-idle-timeout argument is not set to 0',
      [
        f(K, 'streaming-connection-idle-timeout', { op: 'noteq', value: '0' }, 'pass', {
          config: 'streamingConnectionIdleTimeout',
        }),
      ],
      fix('set streamingConnectionIdleTimeout: 4h0m0s'),
    ),
    kubelet(
      '3.2.6',
      'Ensure that the --make-iptables-util-chains argument is set to true',
      [
        f(K, 'make-iptables-util-chains', { op: 'eq', value: 'true' }, 'pass', {
          config: 'makeIPTablesUtilChains',
        }),
      ],
      fix('set makeIPTablesUtilChains: true'),
    ),
    // AKS asks for 0 (no limit) explicitly; EKS accepts any level ≥ 0 or the default
    variant === 'aks-1.8'
      ? kubelet(
          '3.2.7',
          'Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture',
          [f(K, 'event-qps', { op: 'eq', value: '0' }, 'fail', { config: 'eventRecordQPS' })],
          fix('set eventRecordQPS: 0'),
        )
      : kubelet(
          '3.2.7',
          'Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture',
          [f(K, 'event-qps', { op: 'gte', value: 0 }, 'pass', { config: 'eventRecordQPS' })],
          fix('set eventRecordQPS to 0 or an appropriate level'),
        ),
    kubelet(
      '3.2.8',
      variant === 'eks-1.8'
        ? 'Ensure that the --rotate-certificates argument is not present or is set to true'
        : 'Ensure that the --rotate-certificates argument is not set to false',
      [f(K, 'rotate-certificates', { op: 'eq', value: 'true' }, 'pass', { config: 'rotateCertificates' })],
      fix('set rotateCertificates: true'),
    ),
    kubelet(
      '3.2.9',
      'Ensure that the RotateKubeletServerCertificate argument is set to true',
      [
        f(K, 'feature-gates', { op: 'has', value: 'RotateKubeletServerCertificate=true' }, 'fail', {
          config: 'featureGates',
        }),
      ],
      fix('set featureGates.RotateKubeletServerCertificate: true'),
    ),
  ];
}

/** The node section of a managed-cluster benchmark (GKE's kube-bench definitions cover its files only). */
export function managedControls(variant: Variant): readonly Control[] {
  return variant === 'gke-1.9' ? files(variant) : [...files(variant), ...kubeletRows(variant)];
}

export const MANAGED_SECTION_TITLES: Readonly<Record<string, string>> = {
  '3.1': '3.1 Worker Node Configuration Files',
  '3.2': '3.2 Kubelet',
};
