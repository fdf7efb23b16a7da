import { posix } from 'node:path';
import type { Control } from '../types.js';
import {
  ctl,
  daemonNoNewPrivileges,
  daemonSeccompUnconfined,
  daemonSockets,
  defaultBridgeName,
  each,
  execUser,
  hostMode,
} from './container-facts.js';
import { isRootUser, perContainer, reviewContainers, securityOpts } from './helpers.js';

/** CIS section 5, container runtime configuration: 5.17–5.32. */
export const section5Continued: readonly Control[] = [
  each({
    id: '5.17',
    title: "Ensure that the host's IPC namespace is not shared",
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation: 'Do not run containers with --ipc host.',
    test: hostMode('IpcMode'),
    pass: 'own IPC namespace',
  }),
  each({
    id: '5.18',
    title: 'Ensure that host devices are not directly exposed to containers',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Do not pass host devices (--device) or device cgroup rules unless the workload needs them, and then read-only (:r).',
    test: (c) => {
      const h = c.inspect.HostConfig;
      const items = [
        ...h.Devices.map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`),
        ...h.DeviceCgroupRules.map((r) => `rule ${r}`),
      ];
      return items.length ? items.join(', ') : null;
    },
    pass: 'no host device exposed',
  }),
  ctl({
    id: '5.19',
    title: 'Ensure that the default ulimit is overwritten at runtime if needed',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Override the daemon default ulimits per container (--ulimit) only where the workload needs it.',
    check: (e) =>
      reviewContainers(
        e,
        (c) =>
          c.inspect.HostConfig.Ulimits.length
            ? { ulimits: c.inspect.HostConfig.Ulimits.map((u) => `${u.Name}=${u.Soft}:${u.Hard}`) }
            : null,
        'review the per-container ulimit overrides',
      ),
  }),
  each({
    id: '5.20',
    title: 'Ensure mount propagation mode is not set to shared',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Use private (default) or slave propagation for bind mounts; never shared/rshared.',
    test: (c) => {
      const shared = c.inspect.Mounts.filter(
        (m) => m.Propagation === 'shared' || m.Propagation === 'rshared',
      );
      return shared.length
        ? shared.map((m) => `${m.Source}:${m.Destination} (${m.Propagation})`).join(', ')
        : null;
    },
    pass: 'no shared mount propagation',
  }),
  each({
    id: '5.21',
    title: "Ensure that the host's UTS namespace is not shared",
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Do not run containers with --uts host.',
    test: hostMode('UTSMode'),
    pass: 'own UTS namespace',
  }),
  each({
    id: '5.22',
    title: 'Ensure the default seccomp profile is not Disabled',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Remove --security-opt seccomp=unconfined; give a custom profile if the default one blocks a needed system call.',
    test: (c, e) => {
      if (securityOpts(c).some((o) => /^seccomp[=:]unconfined$/.test(o))) return 'seccomp=unconfined';
      if (c.inspect.HostConfig.Privileged) return 'privileged (no seccomp filtering)';
      return daemonSeccompUnconfined(e) ? 'daemon default seccomp profile is unconfined' : null;
    },
    pass: 'seccomp filtering on',
  }),
  ctl({
    id: '5.23',
    title: 'Ensure that docker exec commands are not used with the privileged option',
    level: 2,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Do not use docker exec --privileged; restrict who may exec through an authorization plugin and audit exec events.',
    check: (e) => {
      const r = perContainer(
        e,
        (c) => {
          if (!c.execs.ok) return { error: c.execs.reason };
          const priv = c.execs.value.filter((x) => x.Privileged || x.ProcessConfig.privileged);
          return priv.length
            ? `privileged exec: ${priv.map((x) => [x.ProcessConfig.entrypoint, ...x.ProcessConfig.arguments].join(' ')).join('; ')}`
            : null;
        },
        'no privileged exec instance',
      );
      if (r.status !== 'pass') return r;
      return {
        status: 'manual',
        message:
          'no privileged exec among the exec instances the daemon knows; review past execs in docker events or the audit log',
        evidence: {
          execInstances: e.containers.reduce((n, c) => n + (c.execs.ok ? c.execs.value.length : 0), 0),
        },
      };
    },
  }),
  ctl({
    id: '5.24',
    title: 'Ensure that docker exec commands are not used with the user=root option',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Exec into containers as their unprivileged user (no -u root); restrict exec through an authorization plugin and audit exec events.',
    check: (e) => {
      const r = perContainer(
        e,
        (c) => {
          if (!c.execs.ok) return { error: c.execs.reason };
          const root = c.execs.value.filter((x) => isRootUser(execUser(x, c)));
          return root.length
            ? `exec as root: ${root.map((x) => [x.ProcessConfig.entrypoint, ...x.ProcessConfig.arguments].join(' ')).join('; ')}`
            : null;
        },
        'no exec instance as root',
      );
      if (r.status !== 'pass') return r;
      return {
        status: 'manual',
        message:
          'no root exec among the exec instances the daemon knows; review past execs in docker events or the audit log',
        evidence: {
          execInstances: e.containers.reduce((n, c) => n + (c.execs.ok ? c.execs.value.length : 0), 0),
        },
      };
    },
  }),
  each({
    id: '5.25',
    title: 'Ensure that cgroup usage is confirmed',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Leave --cgroup-parent unset unless a separate parent cgroup is intended and documented.',
    test: (c) =>
      c.inspect.HostConfig.CgroupParent
        ? `cgroup parent ${c.inspect.HostConfig.CgroupParent} (confirm it is intended)`
        : null,
    pass: 'default cgroup parent',
  }),
  each({
    id: '5.26',
    title: 'Ensure that the container is restricted from acquiring additional privileges',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Run containers with --security-opt no-new-privileges (or set "no-new-privileges": true for the daemon).',
    test: (c, e) => {
      const opt = securityOpts(c).find((o) => /^no-new-privileges(?:[=:](true|false))?$/.test(o));
      if (opt) return /false$/.test(opt) ? 'no-new-privileges=false' : null;
      const daemon = daemonNoNewPrivileges(e);
      if (daemon === null)
        return {
          error: `no no-new-privileges option; daemon default unknown (${e.daemon.ok ? '' : e.daemon.reason})`,
        };
      return daemon ? null : 'no-new-privileges not set';
    },
    pass: 'no-new-privileges set',
  }),
  each({
    id: '5.27',
    title: 'Ensure that container health is checked at runtime',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Give containers a health check (image HEALTHCHECK or --health-cmd) and do not disable it (--no-healthcheck).',
    test: (c) => {
      const test = c.inspect.Config.Healthcheck?.Test ?? [];
      if (test.length === 0) return 'no health check';
      return test[0] === 'NONE' ? 'health check disabled' : null;
    },
    pass: 'health check configured',
  }),
  ctl({
    id: '5.28',
    title: 'Ensure that Docker commands always make use of the latest version of their image',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Pull images before use (docker pull, --pull always, compose pull_policy) or pin digests and update them deliberately.',
    check: (e) =>
      reviewContainers(
        e,
        (c) => ({ image: c.inspect.Config.Image, imageId: c.inspect.Image }),
        'compare each container image with the registry',
      ),
  }),
  each({
    id: '5.29',
    title: 'Ensure that the PIDs cgroup limit is used',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Set --pids-limit on every container to a value suited to the workload.',
    test: (c) => {
      const l = c.inspect.HostConfig.PidsLimit;
      return l === null || l <= 0 ? 'no PIDs limit' : null;
    },
    pass: 'PIDs limited',
  }),
  each({
    id: '5.30',
    title: 'Ensure that Docker\'s default bridge "docker0" is not used',
    level: 2,
    automated: false,
    severity: 'LOW',
    remediation:
      'Attach containers to user-defined networks (docker network create; --network NAME) instead of the default bridge.',
    test: (c, e) => {
      const name = defaultBridgeName(e);
      const mode = c.inspect.HostConfig.NetworkMode;
      return name in c.inspect.NetworkSettings.Networks || mode === name || mode === 'default'
        ? `attached to the default bridge "${name}"`
        : null;
    },
    pass: 'not on the default bridge',
  }),
  each({
    id: '5.31',
    title: "Ensure that the host's user namespaces are not shared",
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation: 'Do not run containers with --userns host.',
    test: hostMode('UsernsMode'),
    pass: 'own user namespace mapping',
  }),
  each({
    id: '5.32',
    title: 'Ensure that the Docker socket is not mounted inside any containers',
    level: 1,
    automated: false,
    severity: 'CRITICAL',
    remediation: 'Never mount the Docker socket into a container; it gives full control of the host.',
    test: (c, e) => {
      const sockets = daemonSockets(e);
      const hits = c.inspect.Mounts.filter(
        (m) => sockets.has(posix.normalize(m.Source)) || posix.basename(m.Source) === 'docker.sock',
      );
      return hits.length ? hits.map((m) => `${m.Source}:${m.Destination}`).join(', ') : null;
    },
    pass: 'Docker socket not mounted',
  }),
];
