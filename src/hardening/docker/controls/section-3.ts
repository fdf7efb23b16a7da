import { stringValue } from '../evidence/daemon-config.js';
import type { Control, Evidence } from '../types.js';
import { define, existing, ownership, permissions, type Targets } from './helpers.js';

function unit(e: Evidence, which: 'service' | 'socket'): Targets {
  if (!e.host.units.ok) return { ok: false, reason: e.host.units.reason };
  const path = e.host.units.value[which];
  return path ? existing(e, [path]) : { ok: true, value: [] };
}

/** docker.service and its drop-ins (they configure the same service). */
function serviceFiles(e: Evidence): Targets {
  if (!e.host.units.ok) return { ok: false, reason: e.host.units.reason };
  const { service, dropIns } = e.host.units.value;
  return existing(e, [...(service ? [service] : []), ...dropIns]);
}

/** The group the daemon gives its socket to (`group`/`-G`, docker by default). */
function socketOwner(e: Evidence): [string, string] {
  const group = e.daemon.ok ? stringValue(e.daemon.value.config.values, 'group') : undefined;
  return ['root', group ?? 'docker'];
}

function tlsFile(e: Evidence, key: 'tlscacert' | 'tlscert' | 'tlskey'): Targets {
  if (!e.daemon.ok) return { ok: false, reason: `daemon configuration unavailable: ${e.daemon.reason}` };
  const path = stringValue(e.daemon.value.config.values, key);
  return path ? existing(e, [path]) : { ok: true, value: [] };
}

function configFile(e: Evidence): Targets {
  if (!e.daemon.ok) return { ok: false, reason: `daemon configuration unavailable: ${e.daemon.reason}` };
  return existing(e, [e.daemon.value.configFile.path]);
}

function sockets(source: Evidence['host']['dockerSockets'], e: Evidence): Targets {
  return source.ok ? existing(e, source.value) : source;
}

interface FileRule {
  id: string;
  title: string;
  level: 1 | 2;
  automated: boolean;
  what: string;
  targets: (e: Evidence) => Targets | ReturnType<typeof certs>;
  /** owner and group (or a function of the evidence giving them), or the widest permission bits allowed. */
  want: [string, string] | number | ((e: Evidence) => [string, string]);
  severity?: Control['severity'];
  remediation: string;
}

function certs(e: Evidence) {
  return e.host.registryCerts;
}

function fileControl(r: FileRule): Control {
  return define({
    id: r.id,
    legacyId: r.id,
    title: r.title,
    section: '3',
    level: r.level,
    automated: r.automated,
    severity: r.severity ?? 'MEDIUM',
    remediation: r.remediation,
    check: (e) => {
      if (typeof r.want === 'number') return permissions(r.targets(e), e, r.want, r.what);
      const [owner, group] = typeof r.want === 'function' ? r.want(e) : r.want;
      return ownership(r.targets(e), e, owner, group, r.what);
    },
  });
}

const ROOT: [string, string] = ['root', 'root'];
const own = (what: string) => `chown root:root ${what}`;
const mode = (what: string, m: string) => `chmod ${m} ${what}`;

export const section3: readonly Control[] = [
  fileControl({
    id: '3.1',
    title: 'Ensure that the docker.service file ownership is set to root:root',
    level: 1,
    automated: true,
    what: 'docker.service',
    targets: serviceFiles,
    want: ROOT,
    remediation: own('<docker.service unit file>'),
  }),
  fileControl({
    id: '3.2',
    title: 'Ensure that docker.service file permissions are appropriately set',
    level: 1,
    automated: true,
    what: 'docker.service',
    targets: serviceFiles,
    want: 0o644,
    remediation: mode('<docker.service unit file>', '644'),
  }),
  fileControl({
    id: '3.3',
    title: 'Ensure that docker.socket file ownership is set to root:root',
    level: 1,
    automated: true,
    what: 'docker.socket',
    targets: (e) => unit(e, 'socket'),
    want: ROOT,
    remediation: own('<docker.socket unit file>'),
  }),
  fileControl({
    id: '3.4',
    title: 'Ensure that docker.socket file permissions are set to 644 or more restrictive',
    level: 1,
    automated: true,
    what: 'docker.socket',
    targets: (e) => unit(e, 'socket'),
    want: 0o644,
    remediation: mode('<docker.socket unit file>', '644'),
  }),
  fileControl({
    id: '3.5',
    title: 'Ensure that the /etc/docker directory ownership is set to root:root',
    level: 1,
    automated: true,
    what: '/etc/docker',
    targets: (e) => existing(e, ['/etc/docker']),
    want: ROOT,
    remediation: own('/etc/docker'),
  }),
  fileControl({
    id: '3.6',
    title: 'Ensure that /etc/docker directory permissions are set to 755 or more restrictively',
    level: 1,
    automated: true,
    what: '/etc/docker',
    targets: (e) => existing(e, ['/etc/docker']),
    want: 0o755,
    remediation: mode('/etc/docker', '755'),
  }),
  fileControl({
    id: '3.7',
    title: 'Ensure that registry certificate file ownership is set to root:root',
    level: 1,
    automated: false,
    what: 'registry certificates',
    targets: certs,
    want: ROOT,
    remediation: own('/etc/docker/certs.d/<registry>/*'),
  }),
  fileControl({
    id: '3.8',
    title: 'Ensure that registry certificate file permissions are set to 444 or more restrictively',
    level: 1,
    automated: false,
    what: 'registry certificates',
    targets: certs,
    want: 0o444,
    remediation: mode('/etc/docker/certs.d/<registry>/*', '444'),
  }),
  fileControl({
    id: '3.9',
    title: 'Ensure that TLS CA certificate file ownership is set to root:root',
    level: 1,
    automated: false,
    what: 'TLS CA certificate',
    targets: (e) => tlsFile(e, 'tlscacert'),
    want: ROOT,
    remediation: own('<tlscacert file>'),
  }),
  fileControl({
    id: '3.10',
    title: 'Ensure that TLS CA certificate file permissions are set to 444 or more restrictively',
    level: 1,
    automated: false,
    what: 'TLS CA certificate',
    targets: (e) => tlsFile(e, 'tlscacert'),
    want: 0o444,
    remediation: mode('<tlscacert file>', '444'),
  }),
  fileControl({
    id: '3.11',
    title: 'Ensure that Docker server certificate file ownership is set to root:root',
    level: 1,
    automated: false,
    what: 'server certificate',
    targets: (e) => tlsFile(e, 'tlscert'),
    want: ROOT,
    remediation: own('<tlscert file>'),
  }),
  fileControl({
    id: '3.12',
    title: 'Ensure that the Docker server certificate file permissions are set to 444 or more restrictively',
    level: 1,
    automated: false,
    what: 'server certificate',
    targets: (e) => tlsFile(e, 'tlscert'),
    want: 0o444,
    remediation: mode('<tlscert file>', '444'),
  }),
  fileControl({
    id: '3.13',
    title: 'Ensure that the Docker server certificate key file ownership is set to root:root',
    level: 1,
    automated: false,
    what: 'server key',
    targets: (e) => tlsFile(e, 'tlskey'),
    want: ROOT,
    severity: 'HIGH',
    remediation: own('<tlskey file>'),
  }),
  fileControl({
    id: '3.14',
    title: 'Ensure that the Docker server certificate key file permissions are set to 400',
    level: 1,
    automated: false,
    what: 'server key',
    targets: (e) => tlsFile(e, 'tlskey'),
    want: 0o400,
    severity: 'HIGH',
    remediation: mode('<tlskey file>', '400'),
  }),
  fileControl({
    id: '3.15',
    title: 'Ensure that the Docker socket file ownership is set to root:docker',
    level: 1,
    automated: true,
    what: 'Docker socket',
    targets: (e) => sockets(e.host.dockerSockets, e),
    want: socketOwner,
    severity: 'HIGH',
    remediation: 'chown root:docker <each socket the daemon serves>',
  }),
  fileControl({
    id: '3.16',
    title: 'Ensure that the Docker socket file permissions are set to 660 or more restrictively',
    level: 1,
    automated: true,
    what: 'Docker socket',
    targets: (e) => sockets(e.host.dockerSockets, e),
    want: 0o660,
    severity: 'HIGH',
    remediation: 'chmod 660 <each socket the daemon serves>',
  }),
  fileControl({
    id: '3.17',
    title: 'Ensure that the daemon.json file ownership is set to root:root',
    level: 2,
    automated: false,
    what: 'daemon configuration file',
    targets: configFile,
    want: ROOT,
    remediation: own('<daemon config file in use>'),
  }),
  fileControl({
    id: '3.18',
    title: 'Ensure that daemon.json file permissions are set to 644 or more restrictive',
    level: 2,
    automated: false,
    what: 'daemon configuration file',
    targets: configFile,
    want: 0o644,
    remediation: mode('<daemon config file in use>', '644'),
  }),
  fileControl({
    id: '3.19',
    title: 'Ensure that the /etc/default/docker file ownership is set to root:root',
    level: 2,
    automated: false,
    what: '/etc/default/docker',
    targets: (e) => existing(e, ['/etc/default/docker']),
    want: ROOT,
    remediation: own('/etc/default/docker'),
  }),
  fileControl({
    id: '3.20',
    title: 'Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively',
    level: 2,
    automated: false,
    what: '/etc/default/docker',
    targets: (e) => existing(e, ['/etc/default/docker']),
    want: 0o644,
    remediation: mode('/etc/default/docker', '644'),
  }),
  fileControl({
    id: '3.21',
    title: 'Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively',
    level: 2,
    automated: false,
    what: '/etc/sysconfig/docker',
    targets: (e) => existing(e, ['/etc/sysconfig/docker']),
    want: 0o644,
    remediation: mode('/etc/sysconfig/docker', '644'),
  }),
  fileControl({
    id: '3.22',
    title: 'Ensure that the /etc/sysconfig/docker file ownership is set to root:root',
    level: 2,
    automated: false,
    what: '/etc/sysconfig/docker',
    targets: (e) => existing(e, ['/etc/sysconfig/docker']),
    want: ROOT,
    remediation: own('/etc/sysconfig/docker'),
  }),
  fileControl({
    id: '3.23',
    title: 'Ensure that the Containerd socket file ownership is set to root:root',
    level: 1,
    automated: true,
    what: 'containerd socket',
    targets: (e) => sockets(e.host.containerdSockets, e),
    want: ROOT,
    severity: 'HIGH',
    remediation: own('<containerd socket in use>'),
  }),
  fileControl({
    id: '3.24',
    title: 'Ensure that the Containerd socket file permissions are set to 660 or more restrictively',
    level: 1,
    automated: true,
    what: 'containerd socket',
    targets: (e) => sockets(e.host.containerdSockets, e),
    want: 0o660,
    severity: 'HIGH',
    remediation: mode('<containerd socket in use>', '660'),
  }),
];
