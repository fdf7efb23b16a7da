import { isRecord } from '../objects/load.js';
import { get, type PodSpecView, sc } from '../objects/pod-spec.js';
import type { PssCheck, PssViolation } from './types.js';

type V = PssViolation[];

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function v(check: string, field: string, message: string): PssViolation {
  return { check, field, message };
}

function windowsHostProcess(pod: PodSpecView): V {
  const out: V = [];
  if (get(pod.securityContext, 'windowsOptions', 'hostProcess') === true)
    out.push(
      v(
        'windowsHostProcess',
        `${pod.path}.securityContext.windowsOptions.hostProcess`,
        'pod sets hostProcess: true',
      ),
    );
  for (const c of pod.containers)
    if (get(sc(c), 'windowsOptions', 'hostProcess') === true)
      out.push(
        v(
          'windowsHostProcess',
          `${c.path}.securityContext.windowsOptions.hostProcess`,
          `${c.label} sets hostProcess: true`,
        ),
      );
  return out;
}

function hostNamespaces(pod: PodSpecView): V {
  const out: V = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (pod.spec[key] === true) out.push(v('hostNamespaces', `${pod.path}.${key}`, `${key}: true`));
  return out;
}

function privileged(pod: PodSpecView): V {
  return pod.containers
    .filter((c) => sc(c).privileged === true)
    .map((c) => v('privileged', `${c.path}.securityContext.privileged`, `${c.label} is privileged`));
}

function capabilitiesBaseline(pod: PodSpecView): V {
  const out: V = [];
  for (const c of pod.containers) {
    const add = get(sc(c), 'capabilities', 'add');
    if (!Array.isArray(add)) continue;
    const bad = add.filter((cap) => !BASELINE_CAPABILITIES.has(String(cap)));
    if (bad.length)
      out.push(
        v(
          'capabilities_baseline',
          `${c.path}.securityContext.capabilities.add`,
          `${c.label} adds ${bad.join(', ')}`,
        ),
      );
  }
  return out;
}

function hostPathVolumes(pod: PodSpecView): V {
  return pod.volumes
    .map((vol, i) => ({ vol, i }))
    .filter(({ vol }) => vol.hostPath !== undefined && vol.hostPath !== null)
    .map(({ vol, i }) =>
      v(
        'hostPathVolumes',
        `${pod.path}.volumes[${i}].hostPath`,
        `volume "${String(vol.name)}" is a hostPath`,
      ),
    );
}

function hostPorts(pod: PodSpecView): V {
  const out: V = [];
  for (const c of pod.containers) {
    const ports = c.container.ports;
    if (!Array.isArray(ports)) continue;
    ports.forEach((p, i) => {
      const hp = get(p, 'hostPort');
      if (hp !== undefined && hp !== null && Number(hp) !== 0)
        out.push(v('hostPorts', `${c.path}.ports[${i}].hostPort`, `${c.label} uses hostPort ${String(hp)}`));
    });
  }
  return out;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

function hostProbesAndHostLifecycle(pod: PodSpecView): V {
  const out: V = [];
  for (const c of pod.containers) {
    const handlers: [string, unknown][] = [
      ...PROBES.map((p): [string, unknown] => [p, c.container[p]]),
      ...HOOKS.map((h): [string, unknown] => [`lifecycle.${h}`, get(c.container, 'lifecycle', h)]),
    ];
    for (const [where, handler] of handlers)
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = get(handler, action, 'host');
        if (typeof host === 'string' && host !== '')
          out.push(
            v(
              'hostProbesAndHostLifecycle',
              `${c.path}.${where}.${action}.host`,
              `${c.label} ${where} targets host "${host}"`,
            ),
          );
      }
  }
  return out;
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function appArmorAnnotations(pod: PodSpecView): V {
  const out: V = [];
  for (const [key, value] of Object.entries(pod.metadata.annotations)) {
    if (!key.startsWith(APPARMOR_PREFIX)) continue;
    if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
    out.push(v('appArmorProfile', `metadata.annotations["${key}"]`, `AppArmor annotation ${key}=${value}`));
  }
  return out;
}

function appArmorFields(pod: PodSpecView): V {
  const out = appArmorAnnotations(pod);
  const bad = (t: unknown) => t !== undefined && t !== 'RuntimeDefault' && t !== 'Localhost';
  const podType = get(pod.securityContext, 'appArmorProfile', 'type');
  if (bad(podType))
    out.push(
      v(
        'appArmorProfile',
        `${pod.path}.securityContext.appArmorProfile.type`,
        `pod appArmorProfile type ${String(podType)}`,
      ),
    );
  for (const c of pod.containers) {
    const t = get(sc(c), 'appArmorProfile', 'type');
    if (bad(t))
      out.push(
        v(
          'appArmorProfile',
          `${c.path}.securityContext.appArmorProfile.type`,
          `${c.label} appArmorProfile type ${String(t)}`,
        ),
      );
  }
  return out;
}

function seLinux(types: readonly string[]) {
  return (pod: PodSpecView): V => {
    const out: V = [];
    const test = (opts: unknown, field: string, who: string) => {
      if (!isRecord(opts)) return;
      const type = opts.type;
      if (type !== undefined && type !== null && !types.includes(String(type)))
        out.push(v('seLinuxOptions', `${field}.type`, `${who} seLinuxOptions type ${String(type)}`));
      for (const key of ['user', 'role'])
        if (opts[key] !== undefined && opts[key] !== null && opts[key] !== '')
          out.push(v('seLinuxOptions', `${field}.${key}`, `${who} sets seLinuxOptions.${key}`));
    };
    test(pod.securityContext.seLinuxOptions, `${pod.path}.securityContext.seLinuxOptions`, 'pod');
    for (const c of pod.containers)
      test(sc(c).seLinuxOptions, `${c.path}.securityContext.seLinuxOptions`, `${c.label}`);
    return out;
  };
}

/** Baseline and restricted procMount: anything but Default; `relaxForUserNamespaces` skips pods with hostUsers: false. */
export function procMount(check: string, relaxForUserNamespaces: boolean) {
  return (pod: PodSpecView): V => {
    if (relaxForUserNamespaces && pod.hostUsersFalse) return [];
    return pod.containers
      .filter((c) => {
        const pm = sc(c).procMount;
        return pm !== undefined && pm !== null && pm !== 'Default';
      })
      .map((c) =>
        v(check, `${c.path}.securityContext.procMount`, `${c.label} procMount ${String(sc(c).procMount)}`),
      );
  };
}

function seccompAnnotations(pod: PodSpecView): V {
  const out: V = [];
  for (const [key, value] of Object.entries(pod.metadata.annotations)) {
    const relevant =
      key === 'seccomp.security.alpha.kubernetes.io/pod' ||
      key.startsWith('container.seccomp.security.alpha.kubernetes.io/');
    if (relevant && value === 'unconfined')
      out.push(
        v(
          'seccompProfile_baseline',
          `metadata.annotations["${key}"]`,
          `seccomp annotation ${key}=unconfined`,
        ),
      );
  }
  return out;
}

function seccompFields(pod: PodSpecView): V {
  const out: V = [];
  if (get(pod.securityContext, 'seccompProfile', 'type') === 'Unconfined')
    out.push(
      v(
        'seccompProfile_baseline',
        `${pod.path}.securityContext.seccompProfile.type`,
        'pod seccompProfile Unconfined',
      ),
    );
  for (const c of pod.containers)
    if (get(sc(c), 'seccompProfile', 'type') === 'Unconfined')
      out.push(
        v(
          'seccompProfile_baseline',
          `${c.path}.securityContext.seccompProfile.type`,
          `${c.label} seccompProfile Unconfined`,
        ),
      );
  return out;
}

function sysctls(allowed: readonly string[]) {
  const set = new Set(allowed);
  return (pod: PodSpecView): V => {
    const list = pod.securityContext.sysctls;
    if (!Array.isArray(list)) return [];
    const out: V = [];
    list.forEach((s, i) => {
      const name = String(get(s, 'name') ?? '');
      if (!set.has(name))
        out.push(v('sysctls', `${pod.path}.securityContext.sysctls[${i}].name`, `unsafe sysctl ${name}`));
    });
    return out;
  };
}

export const BASELINE_CHECKS: readonly PssCheck[] = [
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: [1, 0], check: windowsHostProcess }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: [1, 0], check: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ since: [1, 0], check: privileged }] },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    versions: [{ since: [1, 0], check: capabilitiesBaseline }],
  },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: [1, 0], check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: [1, 0], check: hostPorts }] },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    versions: [{ since: [1, 34], check: hostProbesAndHostLifecycle }],
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    versions: [
      { since: [1, 0], check: appArmorAnnotations },
      { since: [1, 30], check: appArmorFields },
    ],
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { since: [1, 0], check: seLinux(SELINUX_TYPES_1_0) },
      { since: [1, 31], check: seLinux(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { since: [1, 0], check: procMount('procMount', false) },
      { since: [1, 35], check: procMount('procMount', true) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { since: [1, 0], check: seccompAnnotations },
      { since: [1, 19], check: seccompFields },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { since: [1, 0], check: sysctls(SYSCTLS_1_0) },
      { since: [1, 27], check: sysctls(SYSCTLS_1_27) },
      { since: [1, 29], check: sysctls(SYSCTLS_1_29) },
      { since: [1, 32], check: sysctls(SYSCTLS_1_32) },
      { since: [1, 37], check: sysctls(SYSCTLS_1_37) },
    ],
  },
];

export { BASELINE_CAPABILITIES };
