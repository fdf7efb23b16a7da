import type { ComponentEvidence, ComponentName, FileRef } from '../types.js';

type Components = ReadonlyMap<ComponentName, ComponentEvidence>;

/** kubeadm's file names, the defaults the benchmark's audit commands use. */
export const KUBEADM = {
  manifestDir: '/etc/kubernetes/manifests',
  pkiDir: '/etc/kubernetes/pki',
  cniDir: '/etc/cni/net.d',
  etcdDataDir: '/var/lib/etcd',
  adminConfs: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'],
  schedulerConf: '/etc/kubernetes/scheduler.conf',
  controllerManagerConf: '/etc/kubernetes/controller-manager.conf',
  kubeletConf: '/etc/kubernetes/kubelet.conf',
} as const;

/** Where systemd may keep the kubelet's unit and its kubeadm drop-in, most specific first. */
export const KUBELET_UNITS = [
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
  '/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
  '/etc/systemd/system/kubelet.service',
  '/usr/lib/systemd/system/kubelet.service',
  '/lib/systemd/system/kubelet.service',
];

/** The static pod manifest names kubeadm and other installers use, per component. */
export function manifestCandidates(dir: string, name: ComponentName): string[] {
  return [`${dir}/${name}.yaml`, `${dir}/${name}.manifest`, `${dir}/${name}.json`];
}

function flag(c: Components, name: ComponentName, key: string): string | undefined {
  return c.get(name)?.flags.get(key);
}

function configString(c: Components, name: ComponentName, path: string[]): string | undefined {
  const config = c.get(name)?.config?.value;
  let current: unknown = config?.ok ? config.value : null;
  for (const key of path)
    current = current && typeof current === 'object' ? (current as never)[key] : undefined;
  return typeof current === 'string' && current ? current : undefined;
}

/**
 * The node paths a file reference means: from the components' flags and config files when they name one,
 * else kubeadm's default. Several candidates for the manifests and the kubelet unit (the first present is used).
 */
export function pathsOf(ref: FileRef, c: Components, manifestDir: string): string[] {
  switch (ref) {
    case 'apiserver-manifest':
      return manifestCandidates(manifestDir, 'kube-apiserver');
    case 'controller-manager-manifest':
      return manifestCandidates(manifestDir, 'kube-controller-manager');
    case 'scheduler-manifest':
      return manifestCandidates(manifestDir, 'kube-scheduler');
    case 'etcd-manifest':
      return manifestCandidates(manifestDir, 'etcd');
    case 'cni-dir':
      return [flag(c, 'kubelet', 'cni-conf-dir') ?? KUBEADM.cniDir];
    case 'etcd-data-dir':
      return [flag(c, 'etcd', 'data-dir') ?? c.get('etcd')?.env.ETCD_DATA_DIR ?? KUBEADM.etcdDataDir];
    case 'admin-kubeconfig':
      return [...KUBEADM.adminConfs];
    case 'scheduler-kubeconfig':
      return [flag(c, 'kube-scheduler', 'kubeconfig') ?? KUBEADM.schedulerConf];
    case 'controller-manager-kubeconfig':
      return [flag(c, 'kube-controller-manager', 'kubeconfig') ?? KUBEADM.controllerManagerConf];
    case 'pki-dir':
      return [KUBEADM.pkiDir];
    case 'kubelet-service':
      return KUBELET_UNITS;
    case 'proxy-kubeconfig': {
      const path =
        flag(c, 'kube-proxy', 'kubeconfig') ??
        configString(c, 'kube-proxy', ['clientConnection', 'kubeconfig']);
      return path ? [path] : [];
    }
    case 'kubelet-kubeconfig':
      return [flag(c, 'kubelet', 'kubeconfig') ?? KUBEADM.kubeletConf];
    case 'kubelet-client-ca': {
      const path =
        flag(c, 'kubelet', 'client-ca-file') ??
        configString(c, 'kubelet', ['authentication', 'x509', 'clientCAFile']);
      return path ? [path] : [];
    }
    case 'kubelet-config': {
      const path = flag(c, 'kubelet', 'config');
      return path ? [path] : [];
    }
  }
}

/** References read as directory trees (every file below), not single files. */
export const TREE_REFS: ReadonlySet<FileRef> = new Set(['pki-dir', 'cni-dir']);
