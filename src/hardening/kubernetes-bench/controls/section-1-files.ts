import type { Control } from '../types.js';
import { type FileSpec, fileControl } from './helpers.js';

const chmod = (mode: string, what: string) =>
  `On the control plane node: chmod ${mode} ${what} (the path the benchmark names on this node is in the result).`;
const chown = (owner: string, what: string) => `On the control plane node: chown ${owner} ${what}.`;

function pair(
  ids: [string, string],
  what: string,
  file: FileSpec['file'],
  describe: string,
  mode = 0o600,
  owner = 'root:root',
): Control[] {
  return [
    fileControl({
      id: ids[0],
      title: `Ensure that the ${what} file permissions are set to ${mode.toString(8)} or more restrictive`,
      target: 'master',
      automated: true,
      file,
      maxMode: mode,
      describe,
      remediation: chmod(mode.toString(8), `<${describe}>`),
    }),
    fileControl({
      id: ids[1],
      title: `Ensure that the ${what} file ownership is set to ${owner}`,
      target: 'master',
      automated: true,
      file,
      owner,
      describe,
      remediation: chown(owner, `<${describe}>`),
    }),
  ];
}

/** 1.1 Control Plane Node Configuration Files. */
export const section1Files: readonly Control[] = [
  ...pair(
    ['1.1.1', '1.1.2'],
    'API server pod specification',
    'apiserver-manifest',
    'kube-apiserver static pod manifest',
  ),
  ...pair(
    ['1.1.3', '1.1.4'],
    'controller manager pod specification',
    'controller-manager-manifest',
    'kube-controller-manager static pod manifest',
  ),
  ...pair(
    ['1.1.5', '1.1.6'],
    'scheduler pod specification',
    'scheduler-manifest',
    'kube-scheduler static pod manifest',
  ),
  ...pair(['1.1.7', '1.1.8'], 'etcd pod specification', 'etcd-manifest', 'etcd static pod manifest'),
  fileControl({
    id: '1.1.9',
    title: 'Ensure that the Container Network Interface file permissions are set to 600 or more restrictive',
    target: 'master',
    automated: false,
    file: 'cni-dir',
    maxMode: 0o600,
    describe: 'CNI configuration directory',
    remediation: chmod('600', '<CNI configuration files>'),
  }),
  fileControl({
    id: '1.1.10',
    title: 'Ensure that the Container Network Interface file ownership is set to root:root',
    target: 'master',
    automated: false,
    file: 'cni-dir',
    owner: 'root:root',
    describe: 'CNI configuration directory',
    remediation: chown('root:root', '<CNI configuration files>'),
  }),
  fileControl({
    id: '1.1.11',
    title: 'Ensure that the etcd data directory permissions are set to 700 or more restrictive',
    target: 'master',
    automated: true,
    file: 'etcd-data-dir',
    maxMode: 0o700,
    describe: 'etcd data directory',
    remediation: 'On the etcd server node: chmod 700 <--data-dir of etcd, e.g. /var/lib/etcd>.',
  }),
  fileControl({
    id: '1.1.12',
    title: 'Ensure that the etcd data directory ownership is set to etcd:etcd',
    target: 'master',
    automated: true,
    file: 'etcd-data-dir',
    owner: 'etcd:etcd',
    describe: 'etcd data directory',
    remediation: 'On the etcd server node: chown etcd:etcd <--data-dir of etcd, e.g. /var/lib/etcd>.',
  }),
  ...pair(
    ['1.1.13', '1.1.14'],
    'default administrative credential',
    'admin-kubeconfig',
    'admin.conf or super-admin.conf',
  ).map((c) => ({ ...c, title: c.title.replace(' or more restrictive', '') })),
  ...pair(['1.1.15', '1.1.16'], 'scheduler.conf', 'scheduler-kubeconfig', 'kube-scheduler kubeconfig'),
  ...pair(
    ['1.1.17', '1.1.18'],
    'controller-manager.conf',
    'controller-manager-kubeconfig',
    'kube-controller-manager kubeconfig',
  ),
  fileControl({
    id: '1.1.19',
    title: 'Ensure that the Kubernetes PKI directory and file ownership is set to root:root',
    target: 'master',
    automated: true,
    file: 'pki-dir',
    owner: 'root:root',
    directories: true,
    describe: 'Kubernetes PKI directory',
    remediation: chown('-R root:root', '/etc/kubernetes/pki/'),
  }),
  fileControl({
    id: '1.1.20',
    title: 'Ensure that the Kubernetes PKI certificate file permissions are set to 644 or more restrictive',
    target: 'master',
    automated: false,
    file: 'pki-dir',
    only: /\.crt$/,
    maxMode: 0o644,
    describe: 'certificates in the PKI directory',
    remediation: chmod('-R 644', '/etc/kubernetes/pki/*.crt'),
  }),
  fileControl({
    id: '1.1.21',
    title: 'Ensure that the Kubernetes PKI key file permissions are set to 600',
    target: 'master',
    automated: false,
    file: 'pki-dir',
    only: /\.key$/,
    maxMode: 0o600,
    describe: 'keys in the PKI directory',
    remediation: chmod('-R 600', '/etc/kubernetes/pki/*.key'),
  }),
];
