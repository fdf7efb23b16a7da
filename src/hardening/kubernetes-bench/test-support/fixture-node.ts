import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export type FixtureName = 'cp-secure' | 'cp-insecure' | 'worker';

/** A node built for real under a temporary root: files with their modes and owners, and running components. */
export interface FixtureNode {
  name: FixtureName;
  root: string;
  /** Component → its command-line arguments (as started). */
  args: Record<string, string[]>;
  /** Component → environment variables it was started with. */
  env: Record<string, Record<string, string>>;
  stop(): Promise<void>;
}

/** uid/gid outside the node's /etc/passwd: what an unowned (wrongly owned) file shows. */
const STRANGER = 1000;
const ETCD_UID = 998;

const PKI = '/etc/kubernetes/pki';

function apiserver(secure: boolean): string[] {
  const common = [
    '--advertise-address=10.0.0.10',
    '--etcd-servers=https://127.0.0.1:2379',
    `--service-account-key-file=${PKI}/sa.pub`,
    `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
    `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
    `--etcd-cafile=${PKI}/etcd/ca.crt`,
    `--tls-cert-file=${PKI}/apiserver.crt`,
    `--tls-private-key-file=${PKI}/apiserver.key`,
    `--client-ca-file=${PKI}/ca.crt`,
  ];
  if (secure)
    return [
      ...common,
      '--anonymous-auth=false',
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs',
      `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
      `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
      `--kubelet-certificate-authority=${PKI}/ca.crt`,
      '--profiling=false',
      '--audit-log-path=/var/log/kubernetes/audit.log',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
      '--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
      '--service-account-lookup=true',
      '--encryption-provider-config=/etc/kubernetes/encryption.yaml',
      '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      '--service-account-extend-token-expiration=false',
      '--request-timeout=60s',
    ];
  return [
    ...common.filter((a) => !a.startsWith('--service-account-key-file') && !a.startsWith('--client-ca-file')),
    '--anonymous-auth=true',
    '--token-auth-file=/etc/kubernetes/tokens.csv',
    '--authorization-mode=AlwaysAllow',
    '--enable-admission-plugins=AlwaysAdmit',
    '--disable-admission-plugins=ServiceAccount,NamespaceLifecycle',
    '--profiling=true',
    '--audit-log-maxage=7',
    '--audit-log-maxbackup=2',
    '--audit-log-maxsize=10',
    '--service-account-lookup=false',
    '--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    '--service-account-extend-token-expiration=true',
  ].filter((a) => !/^--(etcd-certfile|etcd-cafile|tls-cert-file)=/.test(a));
}

function controllerManager(secure: boolean): string[] {
  const common = ['--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true'];
  return secure
    ? [
        ...common,
        '--profiling=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${PKI}/sa.key`,
        `--root-ca-file=${PKI}/ca.crt`,
        '--feature-gates=RotateKubeletServerCertificate=true',
        '--bind-address=127.0.0.1',
        '--terminated-pod-gc-threshold=10',
      ]
    : [
        ...common,
        '--profiling=true',
        '--use-service-account-credentials=false',
        '--feature-gates=RotateKubeletServerCertificate=false',
        '--bind-address=0.0.0.0',
      ];
}

function scheduler(secure: boolean): string[] {
  return [
    '--kubeconfig=/etc/kubernetes/scheduler.conf',
    ...(secure
      ? ['--profiling=false', '--bind-address=127.0.0.1']
      : ['--profiling=true', '--bind-address=0.0.0.0']),
  ];
}

function etcd(secure: boolean): string[] {
  const common = ['--data-dir=/var/lib/etcd', '--name=cp', '--listen-client-urls=https://127.0.0.1:2379'];
  return secure
    ? [
        ...common,
        `--cert-file=${PKI}/etcd/server.crt`,
        `--key-file=${PKI}/etcd/server.key`,
        '--client-cert-auth=true',
        `--peer-cert-file=${PKI}/etcd/peer.crt`,
        `--peer-key-file=${PKI}/etcd/peer.key`,
        '--peer-client-cert-auth=true',
        `--trusted-ca-file=${PKI}/etcd/ca.crt`,
      ]
    : [...common, '--auto-tls=true', '--peer-auto-tls=true'];
}

function kubeletConfig(secure: boolean): Record<string, unknown> {
  const base = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    staticPodPath: '/etc/kubernetes/manifests',
  };
  if (secure)
    return {
      ...base,
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: `${PKI}/ca.crt` },
      },
      authorization: { mode: 'Webhook' },
      readOnlyPort: 0,
      streamingConnectionIdleTimeout: '5m',
      makeIPTablesUtilChains: true,
      eventRecordQPS: 5,
      tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt',
      tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key',
      rotateCertificates: true,
      featureGates: { RotateKubeletServerCertificate: true },
      tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      podPidsLimit: 4096,
      seccompDefault: true,
    };
  return {
    ...base,
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    readOnlyPort: 10255,
    streamingConnectionIdleTimeout: 0,
    makeIPTablesUtilChains: false,
    eventRecordQPS: -1,
    rotateCertificates: false,
    featureGates: { RotateKubeletServerCertificate: false },
    tlsCipherSuites: ['TLS_RSA_WITH_RC4_128_SHA'],
    seccompDefault: false,
  };
}

function manifest(name: string, args: string[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system' },
    spec: {
      hostNetwork: true,
      containers: [{ name, image: `registry.k8s.io/${name}:v1.31.0`, command: [name, ...args] }],
    },
  });
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * Build a kubeadm-style node under a fresh root: static pod manifests, PKI, kubeconfigs, the kubelet's unit and
 * config, the etcd data directory, each with the mode and owner of the variant (`cp-secure` as the benchmark
 * wants, `cp-insecure` against every recommendation, `worker` a kubelet whose flags override an insecure config);
 * then start the components in their own pid namespace (ROOT/proc is that namespace's /proc), each a small
 * script under the component's name whose command line carries the flags.
 */
export async function buildFixtureNode(name: FixtureName): Promise<FixtureNode> {
  const root = mkdtempSync(join(tmpdir(), `bulkhead-kbench-${name}-`));
  const secure = name === 'cp-secure';
  const controlPlane = name !== 'worker';
  const good = (mode: number) => ({ mode, uid: 0, gid: 0 });
  const bad = (mode: number) => ({ mode, uid: STRANGER, gid: STRANGER });
  const pick = (mode: number, loose: number) => (secure ? good(mode) : bad(loose));
  const write = (path: string, text: string, perm: { mode: number; uid: number; gid: number }) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    chmodSync(full, perm.mode);
    chownSync(full, perm.uid, perm.gid);
  };
  write(
    '/etc/passwd',
    `root:x:0:0:root:/root:/bin/sh\netcd:x:${ETCD_UID}:${ETCD_UID}::/var/lib/etcd:/bin/false\n`,
    good(0o644),
  );
  write('/etc/group', `root:x:0:\netcd:x:${ETCD_UID}:\n`, good(0o644));
  write('/etc/hostname', `${name}\n`, good(0o644));

  const args: Record<string, string[]> = {};
  const env: Record<string, Record<string, string>> = {};
  if (controlPlane) {
    args['kube-apiserver'] = apiserver(secure);
    args['kube-controller-manager'] = controllerManager(secure);
    args['kube-scheduler'] = scheduler(secure);
    args.etcd = etcd(secure);
    if (!secure) env.etcd = { ETCD_CLIENT_CERT_AUTH: 'false', ETCD_PEER_CLIENT_CERT_AUTH: 'false' };
    for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'])
      write(`/etc/kubernetes/manifests/${c}.yaml`, manifest(c, args[c]!), pick(0o600, 0o644));
    for (const f of ['admin.conf', 'super-admin.conf', 'scheduler.conf', 'controller-manager.conf'])
      write(`/etc/kubernetes/${f}`, 'apiVersion: v1\nkind: Config\n', pick(0o600, 0o644));
    for (const f of [
      'ca',
      'apiserver',
      'apiserver-kubelet-client',
      'apiserver-etcd-client',
      'etcd/ca',
      'etcd/server',
      'etcd/peer',
    ]) {
      write(`${PKI}/${f}.crt`, 'certificate\n', secure ? good(0o644) : bad(0o666));
      write(`${PKI}/${f}.key`, 'key\n', secure ? good(0o600) : bad(0o644));
    }
    write(`${PKI}/sa.pub`, 'public key\n', good(0o644));
    write(`${PKI}/sa.key`, 'key\n', good(0o600));
    const data = join(root, 'var/lib/etcd/member');
    mkdirSync(data, { recursive: true });
    chmodSync(join(root, 'var/lib/etcd'), secure ? 0o700 : 0o755);
    chownSync(join(root, 'var/lib/etcd'), secure ? ETCD_UID : 0, secure ? ETCD_UID : 0);
  } else {
    write(`${PKI}/ca.crt`, 'certificate\n', good(0o644));
  }
  write(
    '/etc/cni/net.d/10-bridge.conflist',
    '{"cniVersion":"1.0.0","name":"bridge","plugins":[]}\n',
    pick(0o600, 0o644),
  );
  write(
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
    '[Service]\nExecStart=/usr/bin/kubelet\n',
    pick(0o600, 0o644),
  );
  write('/etc/kubernetes/kubelet.conf', 'apiVersion: v1\nkind: Config\n', pick(0o600, 0o666));
  write('/etc/kubernetes/proxy.conf', 'apiVersion: v1\nkind: Config\n', pick(0o600, 0o666));
  write('/var/lib/kubelet/config.yaml', stringify(kubeletConfig(secure)), pick(0o600, 0o666));
  args.kubelet = [
    '--config=/var/lib/kubelet/config.yaml',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--cni-conf-dir=/etc/cni/net.d',
    ...(name === 'worker'
      ? [
          '--anonymous-auth=false',
          '--authorization-mode=Webhook',
          `--client-ca-file=${PKI}/ca.crt`,
          '--read-only-port=0',
          '--event-qps=0',
        ]
      : []),
    ...(name === 'cp-insecure' ? ['--hostname-override=somebody-else'] : []),
  ];
  args['kube-proxy'] = [
    '--kubeconfig=/etc/kubernetes/proxy.conf',
    `--metrics-bind-address=${secure ? '127.0.0.1:10249' : '0.0.0.0:10249'}`,
  ];

  // each component: a script under its name, so that the kernel shows `sh ROOT/usr/local/bin/<name> <flags>`
  const lines = ['#!/bin/sh'];
  for (const [component, list] of Object.entries(args)) {
    const bin = join(root, 'usr/local/bin', component);
    mkdirSync(dirname(bin), { recursive: true });
    writeFileSync(bin, '#!/bin/sh\nsleep 100000 &\nwait\n');
    chmodSync(bin, 0o755);
    const vars = Object.entries(env[component] ?? {}).map(([k, v]) => `${k}=${quote(v)}`);
    lines.push(`${vars.length ? `env ${vars.join(' ')} ` : ''}${quote(bin)} ${list.map(quote).join(' ')} &`);
  }
  lines.push('wait');
  const launcher = join(root, 'run-components.sh');
  writeFileSync(launcher, `${lines.join('\n')}\n`);
  chmodSync(launcher, 0o755);
  const child: ChildProcess = spawn(
    'unshare',
    ['--pid', '--fork', '--mount-proc', '--kill-child', launcher],
    {
      stdio: 'ignore',
    },
  );
  const pid = child.pid!;
  symlinkSync(`/proc/${pid}/root/proc`, join(root, 'proc'));
  // wait until every component shows in the namespace's process table
  const deadline = Date.now() + 10_000;
  const { readProcesses, componentOf } = await import('../evidence/processes.js');
  for (;;) {
    const p = await readProcesses(join(root, 'proc'));
    const found = p.ok ? new Set(p.value.map((e) => componentOf(e)?.name).filter(Boolean)) : new Set();
    if (Object.keys(args).every((c) => found.has(c as never))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
      throw new Error(`fixture ${name}: components did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name,
    root,
    args,
    env,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // the launcher is pid 1 of its namespace, which ignores SIGTERM; SIGKILL on unshare kills it
        // (--kill-child), and with it every process of the namespace
        child.kill('SIGKILL');
        await exited;
      }
      if (existsSync(root)) rmSync(root, { recursive: true, force: true });
    },
  };
}
