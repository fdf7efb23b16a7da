import type { Control } from '../types.js';
import { flagSpec as f, settingControl } from './helpers.js';

const E = 'etcd' as const;
const edit = (fix: string) =>
  `Edit the etcd pod specification (/etc/kubernetes/manifests/etcd.yaml on kubeadm) or its environment and ${fix}`;
const env = (name: string) => ({ env: name });

/** 2 Etcd Node Configuration: flags, or the ETCD_* variables etcd reads when the flag is absent. */
export const section2: readonly Control[] = [
  settingControl({
    id: '2.1',
    title: 'Ensure that the --cert-file and --key-file arguments are set as appropriate',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [
      f(E, 'cert-file', { op: 'set' }, 'fail', env('ETCD_CERT_FILE')),
      f(E, 'key-file', { op: 'set' }, 'fail', env('ETCD_KEY_FILE')),
    ],
    remediation: edit('set --cert-file and --key-file.'),
  }),
  settingControl({
    id: '2.2',
    title: 'Ensure that the --client-cert-auth argument is set to true',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [f(E, 'client-cert-auth', { op: 'eq', value: 'true' }, 'fail', env('ETCD_CLIENT_CERT_AUTH'))],
    remediation: edit('set --client-cert-auth=true.'),
  }),
  settingControl({
    id: '2.3',
    title: 'Ensure that the --auto-tls argument is not set to true',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [f(E, 'auto-tls', { op: 'eq', value: 'false' }, 'pass', env('ETCD_AUTO_TLS'))],
    remediation: edit('remove --auto-tls or set it to false.'),
  }),
  settingControl({
    id: '2.4',
    title: 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [
      f(E, 'peer-cert-file', { op: 'set' }, 'fail', env('ETCD_PEER_CERT_FILE')),
      f(E, 'peer-key-file', { op: 'set' }, 'fail', env('ETCD_PEER_KEY_FILE')),
    ],
    remediation: edit('set --peer-cert-file and --peer-key-file.'),
  }),
  settingControl({
    id: '2.5',
    title: 'Ensure that the --peer-client-cert-auth argument is set to true',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [
      f(E, 'peer-client-cert-auth', { op: 'eq', value: 'true' }, 'fail', env('ETCD_PEER_CLIENT_CERT_AUTH')),
    ],
    remediation: edit('set --peer-client-cert-auth=true.'),
  }),
  settingControl({
    id: '2.6',
    title: 'Ensure that the --peer-auto-tls argument is not set to true',
    target: 'etcd',
    automated: true,
    severity: 'HIGH',
    settings: [f(E, 'peer-auto-tls', { op: 'eq', value: 'false' }, 'pass', env('ETCD_PEER_AUTO_TLS'))],
    remediation: edit('remove --peer-auto-tls or set it to false.'),
  }),
  settingControl({
    id: '2.7',
    title: 'Ensure that a unique Certificate Authority is used for etcd',
    target: 'etcd',
    automated: false,
    level: 2,
    severity: 'MEDIUM',
    settings: [f(E, 'trusted-ca-file', { op: 'set' }, 'fail', env('ETCD_TRUSTED_CA_FILE'))],
    remediation: edit('set --trusted-ca-file to a CA used only by etcd (not the cluster CA).'),
  }),
];
