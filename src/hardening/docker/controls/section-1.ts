import type { Control, Evidence, Outcome } from '../types.js';
import { auditTargets, binary, define, existing, fromSource, hostResource, type Targets } from './helpers.js';

const SECTION_11 = '1.1';

function partition(e: Evidence): Outcome {
  return fromSource(e.host.mounts, (mounts) => {
    const dir = e.info.DockerRootDir;
    const containing = mounts
      .filter((m) => dir === m.mountPoint || dir.startsWith(m.mountPoint === '/' ? '/' : `${m.mountPoint}/`))
      .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
    const root = mounts.filter((m) => m.mountPoint === '/').at(-1);
    if (!containing) return { status: 'error', message: `no mount found for ${dir}` };
    const evidence = { dockerRootDir: dir, mount: containing, rootFilesystem: root ?? null };
    if (containing.mountPoint === '/')
      return {
        status: 'fail',
        message: `${dir} is on the root filesystem`,
        resources: [hostResource(e)],
        evidence,
      };
    if (root && root.device === containing.device)
      return {
        status: 'fail',
        message: `${dir} is a bind mount of the root filesystem (${containing.source}${containing.fsRoot}, device ${containing.device})`,
        resources: [hostResource(e)],
        evidence,
      };
    return {
      status: 'pass',
      message: `${dir} is its own ${containing.fsType} filesystem (${containing.source})`,
      evidence,
    };
  });
}

function trustedUsers(e: Evidence): Outcome {
  return fromSource(e.host.dockerGroup, (group) => {
    if (group === null) return { status: 'pass', message: 'no docker group on this host' };
    const trusted = new Set(['root', ...e.policy.trustedUsers]);
    const untrusted = group.members.filter((m) => !trusted.has(m));
    const evidence = {
      group: group.name,
      gid: group.gid,
      members: group.members,
      trusted: [...trusted].sort(),
    };
    if (untrusted.length === 0)
      return {
        status: 'pass',
        message: `group ${group.name}: ${group.members.length ? group.members.join(', ') : 'no members'}`,
        evidence,
      };
    return {
      status: 'fail',
      message: `group ${group.name} gives daemon control to ${untrusted.join(', ')} (not in --trusted-user)`,
      resources: [{ type: 'host', id: e.host.hostname, name: `group ${group.name}` }],
      evidence,
    };
  });
}

function fixed(e: Evidence, path: string): Targets {
  return existing(e, [path]);
}

function daemonTarget(e: Evidence, pick: (e: Evidence) => string | null): Targets {
  if (!e.daemon.ok) return { ok: false, reason: `daemon process unavailable: ${e.daemon.reason}` };
  const path = pick(e);
  return path ? existing(e, [path]) : { ok: true, value: [] };
}

function unit(e: Evidence, which: 'service' | 'socket'): Targets {
  if (!e.host.units.ok) return { ok: false, reason: e.host.units.reason };
  const path = e.host.units.value[which];
  return { ok: true, value: path ? [path] : [] };
}

const AUDIT_REMEDIATION = (what: string) =>
  `Add a watch for ${what} to the audit rules (e.g. \`-w <path> -p rwxa -k docker\` in /etc/audit/rules.d/docker.rules) and reload them with augenrules --load.`;

function auditControl(
  id: string,
  title: string,
  level: 1 | 2,
  automated: boolean,
  what: string,
  targets: (e: Evidence) => Targets,
): Control {
  return define({
    id,
    legacyId: id,
    title,
    section: SECTION_11,
    level,
    automated,
    severity: level === 1 ? 'MEDIUM' : 'LOW',
    remediation: AUDIT_REMEDIATION(what),
    check: (e) => auditTargets(e, targets(e), what),
  });
}

const AUDIT_TITLE = 'Ensure auditing is configured for Docker files and directories - ';

export const section1: readonly Control[] = [
  define({
    id: '1.1.1',
    legacyId: '1.1.1',
    title: 'Ensure a separate partition for containers has been created',
    section: SECTION_11,
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      "Put the daemon's data root on its own filesystem (a dedicated partition or logical volume mounted at the data root), so that filling it cannot fill the root filesystem.",
    check: partition,
  }),
  define({
    id: '1.1.2',
    legacyId: '1.1.2',
    title: 'Ensure only trusted users are allowed to control Docker daemon',
    section: SECTION_11,
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Membership of the docker group is root on the host: remove every account that does not need it (gpasswd -d USER docker) and list the ones that do with --trusted-user.',
    check: trustedUsers,
  }),
  auditControl(
    '1.1.3',
    'Ensure auditing is configured for the Docker daemon',
    1,
    true,
    'the dockerd executable',
    (e) => daemonTarget(e, (x) => (x.daemon.ok ? x.daemon.value.exe : null)),
  ),
  auditControl('1.1.4', `${AUDIT_TITLE}/run/containerd`, 1, false, '/run/containerd', (e) =>
    fixed(e, '/run/containerd'),
  ),
  auditControl('1.1.5', `${AUDIT_TITLE}/var/lib/docker`, 1, false, "the daemon's data root", (e) =>
    existing(e, [e.info.DockerRootDir]),
  ),
  auditControl('1.1.6', `${AUDIT_TITLE}/etc/docker`, 1, true, '/etc/docker', (e) => fixed(e, '/etc/docker')),
  auditControl('1.1.7', `${AUDIT_TITLE}docker.service`, 2, true, 'the docker.service unit file', (e) =>
    unit(e, 'service'),
  ),
  auditControl('1.1.8', `${AUDIT_TITLE}containerd.sock`, 2, true, 'the containerd socket in use', (e) =>
    e.host.containerdSockets.ok ? existing(e, e.host.containerdSockets.value) : e.host.containerdSockets,
  ),
  auditControl('1.1.9', `${AUDIT_TITLE}docker.socket`, 2, true, 'the docker.socket unit file', (e) =>
    unit(e, 'socket'),
  ),
  auditControl('1.1.10', `${AUDIT_TITLE}/etc/default/docker`, 2, true, '/etc/default/docker', (e) =>
    fixed(e, '/etc/default/docker'),
  ),
  auditControl(
    '1.1.11',
    `${AUDIT_TITLE}/etc/docker/daemon.json`,
    2,
    true,
    'the daemon configuration file in use',
    (e) => daemonTarget(e, (x) => (x.daemon.ok ? x.daemon.value.configFile.path : null)),
  ),
  auditControl(
    '1.1.12',
    `${AUDIT_TITLE}/etc/containerd/config.toml`,
    2,
    true,
    '/etc/containerd/config.toml',
    (e) => fixed(e, '/etc/containerd/config.toml'),
  ),
  auditControl('1.1.13', `${AUDIT_TITLE}/etc/sysconfig/docker`, 2, true, '/etc/sysconfig/docker', (e) =>
    fixed(e, '/etc/sysconfig/docker'),
  ),
  auditControl(
    '1.1.14',
    `${AUDIT_TITLE}/usr/bin/containerd`,
    2,
    true,
    'the containerd executable in use',
    (e) => binary(e, 'containerd'),
  ),
  auditControl('1.1.15', `${AUDIT_TITLE}/usr/bin/containerd-shim`, 2, true, 'containerd-shim', (e) =>
    binary(e, 'containerd-shim'),
  ),
  auditControl(
    '1.1.16',
    `${AUDIT_TITLE}/usr/bin/containerd-shim-runc-v1`,
    2,
    false,
    'containerd-shim-runc-v1',
    (e) => binary(e, 'containerd-shim-runc-v1'),
  ),
  auditControl(
    '1.1.17',
    `${AUDIT_TITLE}/usr/bin/containerd-shim-runc-v2`,
    2,
    true,
    'containerd-shim-runc-v2',
    (e) => binary(e, 'containerd-shim-runc-v2'),
  ),
  auditControl('1.1.18', `${AUDIT_TITLE}/usr/bin/runc`, 2, true, 'the runc executable in use', (e) =>
    binary(e, 'runc'),
  ),
  define({
    id: '1.2.1',
    legacyId: '1.2.1',
    title: 'Ensure the container host has been Hardened',
    section: '1.2',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Harden the host operating system to its own CIS benchmark (or an equivalent baseline) and run it as a dedicated container host.',
    check: (e) => ({
      status: 'manual',
      message: `review the hardening of ${e.info.OperatingSystem || 'the host'} (kernel ${e.info.KernelVersion})`,
      resources: [hostResource(e)],
      evidence: {
        operatingSystem: e.info.OperatingSystem,
        kernel: e.info.KernelVersion,
        securityOptions: e.info.SecurityOptions,
      },
    }),
  }),
  define({
    id: '1.2.2',
    legacyId: '1.2.2',
    title: 'Ensure that the version of Docker is up to date',
    section: '1.2',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Compare the engine, containerd and runc versions with the maintained releases and their security advisories, and upgrade through the distribution or Docker packages.',
    check: (e) => ({
      status: 'manual',
      message: `Docker Engine ${e.version.Version} (API ${e.version.ApiVersion}): compare with the maintained releases`,
      resources: [{ type: 'daemon', id: e.info.ID, name: 'dockerd' }],
      evidence: {
        engine: e.version.Version,
        apiVersion: e.version.ApiVersion,
        components: e.version.Components.map((c) => ({ name: c.Name, version: c.Version })),
      },
    }),
  }),
];
