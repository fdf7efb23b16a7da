import type { Control } from '../types.js';
import { type FileSpec, flagSpec as f, fileControl, settingControl } from './helpers.js';

const K = 'kubelet' as const;
const kubelet = (fix: string) =>
  `In the kubelet config file (--config, /var/lib/kubelet/config.yaml on kubeadm) ${fix}, or set the flag in the kubelet's unit, then restart the kubelet.`;

function files(
  ids: [string, string],
  what: string,
  file: FileSpec['file'],
  describe: string,
  automated: [boolean, boolean],
  mode = 0o600,
): Control[] {
  return [
    fileControl({
      id: ids[0],
      title: `Ensure that the ${what} file permissions are set to ${mode.toString(8)} or more restrictive`,
      target: 'node',
      automated: automated[0],
      file,
      maxMode: mode,
      describe,
      remediation: `On each worker node: chmod ${mode.toString(8)} <${describe}>.`,
    }),
    fileControl({
      id: ids[1],
      title: `Ensure that the ${what} file ownership is set to root:root`,
      target: 'node',
      automated: automated[1],
      file,
      owner: 'root:root',
      describe,
      remediation: `On each worker node: chown root:root <${describe}>.`,
    }),
  ];
}

/** TLS suites the benchmark accepts for the kubelet. */
const KUBELET_CIPHERS = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
];

/** 4 Worker Nodes: 4.1 files, 4.2 kubelet, 4.3 kube-proxy. */
export const section4: readonly Control[] = [
  ...files(['4.1.1', '4.1.2'], 'kubelet service', 'kubelet-service', 'kubelet unit or kubeadm drop-in', [
    true,
    true,
  ]),
  ...files(['4.1.3', '4.1.4'], 'proxy kubeconfig', 'proxy-kubeconfig', 'kube-proxy kubeconfig', [
    false,
    false,
  ]).map((c) => ({
    ...c,
    title: c.title.replace('Ensure that the proxy kubeconfig file', 'If proxy kubeconfig file exists ensure'),
  })),
  ...files(['4.1.5', '4.1.6'], '--kubeconfig kubelet.conf', 'kubelet-kubeconfig', 'kubelet kubeconfig', [
    true,
    true,
  ]),
  ...files(
    ['4.1.7', '4.1.8'],
    'certificate authorities',
    'kubelet-client-ca',
    'kubelet client CA file',
    [false, false],
    0o644,
  ),
  ...files(
    ['4.1.9', '4.1.10'],
    'kubelet config.yaml configuration',
    'kubelet-config',
    'kubelet config file',
    [true, true],
  ),
  settingControl({
    id: '4.2.1',
    title: 'Ensure that the --anonymous-auth argument is set to false',
    target: 'node',
    automated: true,
    severity: 'HIGH',
    settings: [
      f(K, 'anonymous-auth', { op: 'eq', value: 'false' }, 'fail', {
        config: 'authentication.anonymous.enabled',
      }),
    ],
    remediation: kubelet('set authentication.anonymous.enabled: false'),
  }),
  settingControl({
    id: '4.2.2',
    title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow',
    target: 'node',
    automated: true,
    severity: 'CRITICAL',
    settings: [
      f(K, 'authorization-mode', { op: 'nothave', value: 'AlwaysAllow' }, 'fail', {
        config: 'authorization.mode',
      }),
    ],
    remediation: kubelet('set authorization.mode: Webhook'),
  }),
  settingControl({
    id: '4.2.3',
    title: 'Ensure that the --client-ca-file argument is set as appropriate',
    target: 'node',
    automated: true,
    severity: 'HIGH',
    settings: [f(K, 'client-ca-file', { op: 'set' }, 'fail', { config: 'authentication.x509.clientCAFile' })],
    remediation: kubelet('set authentication.x509.clientCAFile to the client CA'),
  }),
  settingControl({
    id: '4.2.4',
    title: 'Verify that if defined, the --read-only-port argument is set to 0',
    target: 'node',
    automated: false,
    severity: 'MEDIUM',
    settings: [f(K, 'read-only-port', { op: 'eq', value: '0' }, 'pass', { config: 'readOnlyPort' })],
    remediation: kubelet('set readOnlyPort: 0'),
  }),
  settingControl({
    id: '4.2.5',
    title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0',
    target: 'node',
    automated: false,
    severity: 'LOW',
    settings: [
      f(K, 'streaming-connection-idle-timeout', { op: 'noteq', value: '0' }, 'pass', {
        config: 'streamingConnectionIdleTimeout',
      }),
    ],
    remediation: kubelet('set streamingConnectionIdleTimeout to a non-zero duration, e.g. 5m'),
  }),
  settingControl({
    id: '4.2.6',
    title: 'Ensure that the --make-iptables-util-chains argument is set to true',
    target: 'node',
    automated: true,
    severity: 'LOW',
    settings: [
      f(K, 'make-iptables-util-chains', { op: 'eq', value: 'true' }, 'pass', {
        config: 'makeIPTablesUtilChains',
      }),
    ],
    remediation: kubelet('set makeIPTablesUtilChains: true'),
  }),
  settingControl({
    id: '4.2.7',
    title: 'Ensure that the --hostname-override argument is not set',
    target: 'node',
    automated: false,
    severity: 'LOW',
    settings: [f(K, 'hostname-override', { op: 'unset' }, 'pass')],
    remediation: 'Remove --hostname-override from the kubelet unit and restart the kubelet.',
  }),
  settingControl({
    id: '4.2.8',
    title:
      'Ensure that the eventRecordQPS argument is set to a level which ensures appropriate event capture',
    target: 'node',
    automated: false,
    level: 2,
    severity: 'LOW',
    settings: [f(K, 'event-qps', { op: 'gte', value: 0 }, 'pass', { config: 'eventRecordQPS' })],
    remediation: kubelet('set eventRecordQPS to an appropriate level'),
  }),
  settingControl({
    id: '4.2.9',
    title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate',
    target: 'node',
    automated: false,
    severity: 'MEDIUM',
    settings: [
      f(K, 'tls-cert-file', { op: 'set' }, 'fail', { config: 'tlsCertFile' }),
      f(K, 'tls-private-key-file', { op: 'set' }, 'fail', { config: 'tlsPrivateKeyFile' }),
    ],
    remediation: kubelet('set tlsCertFile and tlsPrivateKeyFile'),
  }),
  settingControl({
    id: '4.2.10',
    title: 'Ensure that the --rotate-certificates argument is not set to false',
    target: 'node',
    automated: true,
    severity: 'MEDIUM',
    settings: [
      f(K, 'rotate-certificates', { op: 'noteq', value: 'false' }, 'pass', { config: 'rotateCertificates' }),
    ],
    remediation: kubelet('set rotateCertificates: true (or remove rotateCertificates: false)'),
  }),
  settingControl({
    id: '4.2.11',
    title: 'Verify that the RotateKubeletServerCertificate argument is set to true',
    target: 'node',
    automated: false,
    severity: 'MEDIUM',
    settings: [
      f(K, 'feature-gates', { op: 'nothave', value: 'RotateKubeletServerCertificate=false' }, 'pass', {
        config: 'featureGates',
      }),
    ],
    remediation: kubelet('set featureGates.RotateKubeletServerCertificate: true (or remove it)'),
  }),
  settingControl({
    id: '4.2.12',
    title: 'Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers',
    target: 'node',
    automated: false,
    severity: 'MEDIUM',
    settings: [
      f(K, 'tls-cipher-suites', { op: 'within', values: KUBELET_CIPHERS }, 'fail', {
        config: 'tlsCipherSuites',
      }),
    ],
    remediation: kubelet('set tlsCipherSuites to strong suites only'),
  }),
  settingControl({
    id: '4.2.13',
    title: 'Ensure that a limit is set on pod PIDs',
    target: 'node',
    automated: false,
    severity: 'LOW',
    settings: [f(K, 'pod-max-pids', { op: 'set' }, 'fail', { config: 'podPidsLimit' })],
    remediation: kubelet('set podPidsLimit'),
  }),
  settingControl({
    id: '4.2.14',
    title: 'Ensure that the --seccomp-default parameter is set to true',
    target: 'node',
    automated: false,
    severity: 'MEDIUM',
    settings: [f(K, 'seccomp-default', { op: 'eq', value: 'true' }, 'fail', { config: 'seccompDefault' })],
    remediation: kubelet('set seccompDefault: true'),
  }),
  settingControl({
    id: '4.3.1',
    title: 'Ensure that the kube-proxy metrics service is bound to localhost',
    target: 'node',
    automated: true,
    severity: 'MEDIUM',
    settings: [
      f(
        'kube-proxy',
        'metrics-bind-address',
        { op: 'within', values: ['127.0.0.1', '127.0.0.1:10249', 'localhost:10249'] },
        'pass',
        {
          config: 'metricsBindAddress',
        },
      ),
    ],
    remediation:
      'Set metricsBindAddress: 127.0.0.1:10249 in the kube-proxy config (the kube-proxy ConfigMap on kubeadm) or --metrics-bind-address=127.0.0.1:10249.',
  }),
];
