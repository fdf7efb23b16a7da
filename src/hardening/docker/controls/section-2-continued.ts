import { boolValue, listValue, stringValue } from '../evidence/daemon-config.js';
import type { Control } from '../types.js';
import { ctl, flag, LOCAL_LOG_DRIVERS, securityOption, setting, verdict } from './daemon-facts.js';
import { withDaemon } from './helpers.js';

/** CIS section 2, daemon configuration: 2.10–2.19. */
export const section2Continued: readonly Control[] = [
  ctl({
    id: '2.10',
    legacyId: '2.9',
    title: 'Enable user namespace support',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Set "userns-remap": "default" (or a dedicated user) in daemon.json so that root in a container is an unprivileged user on the host.',
    check: (e) => {
      const userns = securityOption(e, 'userns');
      return verdict(
        e,
        !userns && !securityOption(e, 'rootless'),
        'user namespace remapping is off',
        'user namespaces are remapped',
        {
          securityOptions: e.info.SecurityOptions,
        },
      );
    },
  }),
  ctl({
    id: '2.11',
    legacyId: '2.10',
    title: 'Ensure the default cgroup usage has been confirmed',
    level: 2,
    automated: false,
    severity: 'LOW',
    remediation:
      'Leave "cgroup-parent" unset unless a separate parent cgroup is intended, and then document and confirm it.',
    check: (e) =>
      withDaemon(e, (d) => {
        const parent = stringValue(d.config.values, 'cgroup-parent');
        return verdict(
          e,
          parent !== undefined,
          `the daemon places containers under cgroup parent ${parent} (confirm it is intended)`,
          'containers use the default cgroup parent',
          setting(d, 'cgroup-parent'),
        );
      }),
  }),
  ctl({
    id: '2.12',
    legacyId: '2.11',
    title: 'Ensure base device size is not changed until needed',
    level: 2,
    automated: false,
    severity: 'LOW',
    remediation: 'Remove dm.basesize from "storage-opts" unless a larger base device is needed.',
    check: (e) =>
      withDaemon(e, (d) => {
        const opts = listValue(d.config.values, 'storage-opts');
        const basesize = opts.filter((o) => o.startsWith('dm.basesize'));
        return verdict(
          e,
          basesize.length > 0,
          `base device size changed: ${basesize.join(', ')}`,
          `base device size unchanged (storage driver ${e.info.Driver})`,
          {
            storageOpts: opts,
            driver: e.info.Driver,
          },
        );
      }),
  }),
  ctl({
    id: '2.13',
    legacyId: '2.12',
    title: 'Ensure that authorization for Docker client commands is enabled',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Install an authorization plugin and list it in "authorization-plugins" so that API requests are allowed per user and action.',
    check: (e) => {
      const plugins = e.info.Plugins.Authorization;
      return verdict(
        e,
        plugins.length === 0,
        'no authorization plugin',
        `authorization plugins: ${plugins.join(', ')}`,
        { authorization: plugins },
      );
    },
  }),
  ctl({
    id: '2.14',
    legacyId: '2.13',
    title: 'Ensure centralized and remote logging is configured',
    level: 2,
    automated: false,
    severity: 'LOW',
    remediation:
      'Set "log-driver" to a driver that ships logs off the host (syslog, journald forwarded, fluentd, gelf, …) with "log-opts" naming the collector.',
    check: (e) =>
      verdict(
        e,
        LOCAL_LOG_DRIVERS.has(e.info.LoggingDriver),
        `log driver "${e.info.LoggingDriver}" keeps logs on the host only`,
        `log driver ${e.info.LoggingDriver}`,
        {
          loggingDriver: e.info.LoggingDriver,
        },
      ),
  }),
  ctl({
    id: '2.15',
    legacyId: '2.14',
    title: 'Ensure containers are restricted from acquiring new privileges',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Set "no-new-privileges": true in daemon.json so that setuid binaries cannot raise privileges in any container.',
    check: (e) =>
      flag(
        e,
        'no-new-privileges',
        true,
        'no-new-privileges is not the daemon default',
        'no-new-privileges is the daemon default',
      ),
  }),
  ctl({
    id: '2.16',
    legacyId: '2.15',
    title: 'Ensure live restore is enabled',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Set "live-restore": true in daemon.json so that containers keep running while the daemon restarts.',
    check: (e) => {
      if (e.info.Swarm.LocalNodeState === 'active')
        return {
          status: 'not_applicable',
          message: 'live restore does not apply while swarm mode is active',
        };
      return verdict(e, !e.info.LiveRestoreEnabled, 'live restore is off', 'live restore is on', {
        liveRestore: e.info.LiveRestoreEnabled,
      });
    },
  }),
  ctl({
    id: '2.17',
    legacyId: '2.16',
    title: 'Ensure Userland Proxy is Disabled',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Set "userland-proxy": false in daemon.json so that published ports go through NAT rules instead of docker-proxy processes.',
    check: (e) =>
      withDaemon(e, (d) =>
        verdict(
          e,
          boolValue(d.config.values, 'userland-proxy'),
          'the userland proxy is on',
          'the userland proxy is off',
          {
            ...setting(d, 'userland-proxy'),
            dockerProxyProcesses: e.host.dockerProxies.ok ? e.host.dockerProxies.value : null,
          },
        ),
      ),
  }),
  ctl({
    id: '2.18',
    legacyId: '2.17',
    title: 'Ensure that a daemon-wide custom seccomp profile is applied if appropriate',
    level: 2,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Keep a seccomp profile for every container: never set "seccomp-profile": "unconfined"; give a custom profile where the default one is too broad.',
    check: (e) => {
      const seccomp = securityOption(e, 'seccomp');
      const profile = /profile=([^,]+)/.exec(seccomp ?? '')?.[1];
      if (!seccomp)
        return verdict(e, true, 'the daemon applies no seccomp profile', '', {
          securityOptions: e.info.SecurityOptions,
        });
      return verdict(
        e,
        profile === 'unconfined',
        'the daemon-wide seccomp profile is unconfined',
        `seccomp profile: ${profile ?? 'default'}`,
        {
          seccomp,
        },
      );
    },
  }),
  ctl({
    id: '2.19',
    legacyId: '2.18',
    title: 'Ensure that experimental features are not implemented in production',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation: 'Remove "experimental": true from daemon.json (and --experimental) on production hosts.',
    check: (e) => {
      const on = e.version.Experimental === true || e.info.ExperimentalBuild;
      return verdict(e, on, 'experimental features are on', 'experimental features are off', {
        experimental: on,
      });
    },
  }),
];
