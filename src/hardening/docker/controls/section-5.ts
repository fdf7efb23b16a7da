import { posix } from 'node:path';
import type { Control } from '../types.js';
import { bindings, ctl, DANGEROUS_CAPS, each, hostMode, lsmEnabled, sensitive } from './container-facts.js';
import { daemonResource, perContainer, reviewContainers, securityOpts } from './helpers.js';

/** CIS section 5, container runtime configuration: 5.1–5.16 (5.17–5.32 in section-5-continued.ts). */
export const section5: readonly Control[] = [
  ctl({
    id: '5.1',
    title: 'Ensure swarm mode is not Enabled, if not needed',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Leave swarm mode (docker swarm leave) on hosts that do not run swarm services.',
    check: (e) =>
      e.info.Swarm.LocalNodeState === 'active'
        ? {
            status: 'fail',
            message: 'swarm mode is active (leave it unless this host runs swarm services)',
            resources: [daemonResource(e)],
            evidence: {
              localNodeState: 'active',
              managers: e.info.Swarm.Managers,
              nodes: e.info.Swarm.Nodes,
            },
          }
        : { status: 'pass', message: `swarm mode is ${e.info.Swarm.LocalNodeState || 'inactive'}` },
  }),
  ctl({
    id: '5.2',
    title: 'Ensure that, if applicable, an AppArmor Profile is enabled',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Run containers with the docker-default AppArmor profile or a custom one (--security-opt apparmor=PROFILE); never apparmor=unconfined.',
    check: (e) =>
      lsmEnabled(e, 'apparmor')
        ? perContainer(
            e,
            (c) => {
              const p = c.inspect.AppArmorProfile;
              const opt = securityOpts(c).find((o) => /^apparmor[=:]/.test(o));
              if (opt && /unconfined$/.test(opt)) return 'apparmor=unconfined';
              if (c.inspect.HostConfig.Privileged) return 'privileged (no AppArmor profile)';
              return p === '' || p === 'unconfined' ? `AppArmor profile "${p || 'none'}"` : null;
            },
            'run with an AppArmor profile',
          )
        : {
            status: 'not_applicable',
            message: 'AppArmor is not enabled on this host',
            evidence: e.info.SecurityOptions,
          },
  }),
  ctl({
    id: '5.3',
    title: 'Ensure that, if applicable, SELinux security options are set',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Run the daemon with --selinux-enabled and give containers SELinux labels (--security-opt label=…); never label=disable.',
    check: (e) =>
      lsmEnabled(e, 'selinux')
        ? perContainer(
            e,
            (c) => {
              if (securityOpts(c).some((o) => /^label[=:]disable$/.test(o))) return 'label=disable';
              return c.inspect.ProcessLabel === '' ? 'no SELinux process label' : null;
            },
            'run with SELinux labels',
          )
        : {
            status: 'not_applicable',
            message: 'SELinux is not enabled in the daemon',
            evidence: e.info.SecurityOptions,
          },
  }),
  each({
    id: '5.4',
    title: 'Ensure that Linux kernel capabilities are restricted within containers',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Drop all capabilities and add back only those needed (--cap-drop ALL --cap-add …); never add SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE or ALL.',
    test: (c) => {
      const added = c.inspect.HostConfig.CapAdd.map((x) => x.toUpperCase().replace(/^CAP_/, ''));
      const bad = added.filter((x) => DANGEROUS_CAPS.has(x)).sort();
      return bad.length ? `adds ${bad.join(', ')}` : null;
    },
    pass: 'no dangerous capability added',
  }),
  each({
    id: '5.5',
    title: 'Ensure that privileged containers are not used',
    level: 1,
    automated: false,
    severity: 'CRITICAL',
    remediation:
      'Remove --privileged; grant the specific capabilities or devices the workload needs instead.',
    test: (c) => (c.inspect.HostConfig.Privileged ? 'privileged' : null),
    pass: 'not privileged',
  }),
  each({
    id: '5.6',
    title: 'Ensure sensitive host system directories are not mounted on containers',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Do not bind-mount host system directories (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr); mount only the application data needed, read-only where possible.',
    test: (c) => {
      const hits = c.inspect.Mounts.filter((m) => m.Type === 'bind' && sensitive(m.Source) !== null).map(
        (m) => `${m.Source}:${m.Destination} (${m.RW ? 'read-write' : 'read-only'})`,
      );
      return hits.length ? hits.sort().join(', ') : null;
    },
    pass: 'no sensitive host directory mounted',
  }),
  ctl({
    id: '5.7',
    title: 'Ensure sshd is not run within containers',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Remove the SSH server from the image; use docker exec (audited) for debugging.',
    check: (e) =>
      perContainer(
        e,
        (c) => {
          if (c.processes === null) return null;
          if (!c.processes.ok) return { error: c.processes.reason };
          const sshd = c.processes.value.filter(
            (p) =>
              p.comm === 'sshd' ||
              p.args
                .split(/\s+/)
                .slice(0, 2)
                .some((a) => posix.basename(a) === 'sshd'),
          );
          return sshd.length ? `process ${sshd[0]!.args}` : null;
        },
        'no sshd process (containers that are not running have no processes)',
      ),
  }),
  each({
    id: '5.8',
    title: 'Ensure privileged ports are not mapped within containers',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Publish container ports on host ports 1024 and above (-p 8080:80), unless the service must own a privileged port.',
    test: (c) => {
      const low = bindings(c).filter((b) => b.hostPort !== '' && Number(b.hostPort) < 1024);
      return low.length ? low.map((b) => `${b.hostIp || '*'}:${b.hostPort}->${b.port}`).join(', ') : null;
    },
    pass: 'no host port below 1024',
  }),
  ctl({
    id: '5.9',
    title: 'Ensure that only needed ports are open on the container',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Publish only the ports the service needs; avoid -P (publish all).',
    check: (e) =>
      reviewContainers(
        e,
        (c) => {
          const published = bindings(c).map((b) => `${b.hostIp || '*'}:${b.hostPort || 'random'}->${b.port}`);
          if (published.length === 0 && !c.inspect.HostConfig.PublishAllPorts) return null;
          return {
            published,
            exposed: c.inspect.Config.ExposedPorts,
            publishAll: c.inspect.HostConfig.PublishAllPorts,
          };
        },
        'review the published ports',
      ),
  }),
  each({
    id: '5.10',
    title: "Ensure that the host's network namespace is not shared",
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation: 'Do not run containers with --network host; publish the needed ports instead.',
    test: hostMode('NetworkMode'),
    pass: 'own network namespace',
  }),
  each({
    id: '5.11',
    title: 'Ensure that the memory usage for containers is limited',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation: 'Set a memory limit on every container (--memory).',
    test: (c) => (c.inspect.HostConfig.Memory === 0 ? 'no memory limit' : null),
    pass: 'memory limited',
  }),
  each({
    id: '5.12',
    title: 'Ensure that CPU priority is set appropriately on containers',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Give containers CPU shares or limits that reflect their priority (--cpu-shares, --cpus).',
    test: (c) => {
      const h = c.inspect.HostConfig;
      const shares = h.CpuShares === 0 || h.CpuShares === 1024;
      return shares && h.NanoCpus === 0 && h.CpuQuota === 0 ? 'default CPU shares, no CPU limit' : null;
    },
    pass: 'CPU priority set',
  }),
  each({
    id: '5.13',
    title: "Ensure that the container's root filesystem is mounted as read only",
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Run containers with --read-only and mount writable volumes or tmpfs only where data is written.',
    test: (c) => (c.inspect.HostConfig.ReadonlyRootfs ? null : 'root filesystem is writable'),
    pass: 'read-only root filesystem',
  }),
  each({
    id: '5.14',
    title: 'Ensure that incoming container traffic is bound to a specific host interface',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Publish ports on a specific host address (-p 127.0.0.1:8080:80 or the address of the intended interface).',
    test: (c) => {
      const wild = bindings(c).filter((b) => b.hostIp === '' || b.hostIp === '0.0.0.0' || b.hostIp === '::');
      return wild.length
        ? wild.map((b) => `${b.hostIp || '*'}:${b.hostPort || 'random'}->${b.port}`).join(', ')
        : null;
    },
    pass: 'published ports bound to specific addresses',
  }),
  each({
    id: '5.15',
    title: "Ensure that the 'on-failure' container restart policy is set to '5'",
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Use --restart on-failure:5 (or no restart policy) instead of always/unless-stopped or unbounded retries.',
    test: (c) => {
      const r = c.inspect.HostConfig.RestartPolicy;
      if (r.Name === 'always' || r.Name === 'unless-stopped') return `restart policy ${r.Name}`;
      if (r.Name === 'on-failure' && (r.MaximumRetryCount === 0 || r.MaximumRetryCount > 5))
        return `on-failure with ${r.MaximumRetryCount === 0 ? 'unlimited' : r.MaximumRetryCount} retries`;
      return null;
    },
    pass: 'restart policy bounded',
  }),
  each({
    id: '5.16',
    title: "Ensure that the host's process namespace is not shared",
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation: 'Do not run containers with --pid host.',
    test: hostMode('PidMode'),
    pass: 'own PID namespace',
  }),
];
