import { boolValue, listValue, stringValue } from '../evidence/daemon-config.js';
import type { Control, DaemonEvidence, Evidence, Outcome } from '../types.js';
import { daemonResource, define, withDaemon } from './helpers.js';

const SECTION = '2';

function setting(d: DaemonEvidence, key: string) {
  return { key, value: d.config.values[key] ?? null, from: d.config.origin[key] ?? 'default' };
}

function verdict(
  e: Evidence,
  failing: boolean,
  failMessage: string,
  passMessage: string,
  evidence: unknown,
): Outcome {
  return failing
    ? { status: 'fail', message: failMessage, resources: [daemonResource(e)], evidence }
    : { status: 'pass', message: passMessage, evidence };
}

function flag(e: Evidence, key: string, want: boolean, failMessage: string, passMessage: string): Outcome {
  return withDaemon(e, (d) =>
    verdict(e, boolValue(d.config.values, key) !== want, failMessage, passMessage, setting(d, key)),
  );
}

function defaultBridge(e: Evidence) {
  return (
    e.networks.find((n) => n.Options['com.docker.network.bridge.default_bridge'] === 'true') ??
    e.networks.find((n) => n.Name === 'bridge' && n.Driver === 'bridge')
  );
}

function securityOption(e: Evidence, name: string): string | undefined {
  return e.info.SecurityOptions.find((o) => o.split(',').includes(`name=${name}`));
}

const LOCAL_LOG_DRIVERS = new Set(['json-file', 'local', 'none', '']);
const LOOPBACK_CIDRS = new Set(['127.0.0.0/8', '::1/128']);

function ctl(c: Omit<Control, 'section' | 'version'>): Control {
  return define({ ...c, section: SECTION });
}

export const section2: readonly Control[] = [
  ctl({
    id: '2.1',
    legacyId: '2.1',
    title: 'Run the Docker daemon as a non-root user, if possible',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Where the workloads allow it, run the daemon in rootless mode (dockerd-rootless-setuptool.sh install) under an unprivileged account.',
    check: (e) => {
      if (securityOption(e, 'rootless'))
        return { status: 'pass', message: 'the daemon runs rootless', evidence: e.info.SecurityOptions };
      return withDaemon(e, (d) =>
        verdict(e, d.uid === 0, `dockerd (pid ${d.pid}) runs as root`, `dockerd runs as uid ${d.uid}`, {
          uid: d.uid,
          securityOptions: e.info.SecurityOptions,
        }),
      );
    },
  }),
  ctl({
    id: '2.2',
    legacyId: '2.2',
    title: 'Ensure network traffic is restricted between containers on the default bridge',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Set "icc": false in daemon.json (or --icc=false) and restart the daemon; link containers that must talk through user-defined networks.',
    check: (e) => {
      const bridge = defaultBridge(e);
      if (!bridge) return { status: 'not_applicable', message: 'the daemon has no default bridge network' };
      const icc = bridge.Options['com.docker.network.bridge.enable_icc'];
      return verdict(
        e,
        icc !== 'false',
        `inter-container traffic is allowed on the default bridge "${bridge.Name}"`,
        'icc is disabled on the default bridge',
        {
          network: bridge.Name,
          enable_icc: icc ?? null,
        },
      );
    },
  }),
  ctl({
    id: '2.3',
    legacyId: '2.3',
    title: "Ensure the logging level is set to 'info'",
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Remove "debug" and set "log-level": "info" in daemon.json (drop -D/--debug and other --log-level values), then restart the daemon.',
    check: (e) => {
      if (e.info.Debug) return verdict(e, true, 'the daemon runs in debug mode', '', { debug: true });
      return withDaemon(e, (d) => {
        const level = stringValue(d.config.values, 'log-level') ?? 'info';
        return verdict(
          e,
          level !== 'info',
          `log-level is "${level}"`,
          'log-level is info',
          setting(d, 'log-level'),
        );
      });
    },
  }),
  ctl({
    id: '2.4',
    legacyId: '2.4',
    title: 'Ensure Docker is allowed to make changes to iptables',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Remove "iptables": false from daemon.json and --iptables=false from the command line, so that the daemon keeps the firewall rules in step with container networking.',
    check: (e) =>
      flag(e, 'iptables', true, 'iptables management is turned off', 'the daemon manages iptables'),
  }),
  ctl({
    id: '2.5',
    legacyId: '2.5',
    title: 'Ensure insecure registries are not used',
    level: 1,
    automated: false,
    severity: 'HIGH',
    remediation:
      'Remove the entries of "insecure-registries" and give each registry a TLS certificate (trusted through /etc/docker/certs.d/<registry>/ca.crt when private).',
    check: (e) => {
      const cfg = e.info.RegistryConfig;
      const insecure = Object.values(cfg.IndexConfigs)
        .filter((i) => !i.Secure)
        .map((i) => i.Name)
        .sort();
      const cidrs = cfg.InsecureRegistryCIDRs.filter((c) => !LOOPBACK_CIDRS.has(c)).sort();
      const bad = [...insecure, ...cidrs];
      return verdict(
        e,
        bad.length > 0,
        `insecure registries: ${bad.join(', ')}`,
        'no insecure registries beyond loopback',
        {
          insecureRegistries: insecure,
          insecureCidrs: cfg.InsecureRegistryCIDRs,
        },
      );
    },
  }),
  ctl({
    id: '2.6',
    legacyId: '2.6',
    title: 'Ensure aufs storage driver is not used',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Move to the overlay2 storage driver ("storage-driver": "overlay2"); images and containers have to be recreated.',
    check: (e) =>
      verdict(e, e.info.Driver === 'aufs', 'storage driver is aufs', `storage driver is ${e.info.Driver}`, {
        driver: e.info.Driver,
      }),
  }),
  ctl({
    id: '2.7',
    legacyId: null,
    title: 'Ensure devicemapper storage driver is not used',
    level: 1,
    automated: false,
    severity: 'MEDIUM',
    remediation:
      'Move to the overlay2 storage driver; devicemapper is no longer supported by current Docker Engine releases.',
    check: (e) =>
      verdict(
        e,
        e.info.Driver === 'devicemapper',
        'storage driver is devicemapper',
        `storage driver is ${e.info.Driver}`,
        {
          driver: e.info.Driver,
        },
      ),
  }),
  ctl({
    id: '2.8',
    legacyId: '2.7',
    title: 'Ensure TLS authentication for Docker daemon is configured',
    level: 1,
    automated: false,
    severity: 'CRITICAL',
    remediation:
      'Serve TCP only with "tlsverify": true plus "tlscacert", "tlscert" and "tlskey" (client certificates required), or remove the tcp:// entries from "hosts"/-H.',
    check: (e) =>
      withDaemon(e, (d) => {
        const hosts = listValue(d.config.values, 'hosts');
        const tcp = hosts.filter((h) => h.startsWith('tcp://'));
        if (tcp.length === 0)
          return { status: 'pass', message: 'the daemon serves no TCP socket', evidence: { hosts } };
        const v = d.config.values;
        const verify = boolValue(v, 'tlsverify');
        const files = ['tlscacert', 'tlscert', 'tlskey'].filter((k) => !stringValue(v, k));
        const ok = verify && files.length === 0;
        return verdict(
          e,
          !ok,
          `TCP ${tcp.join(', ')} without ${verify ? `${files.join(', ')}` : 'tlsverify'}`,
          `TCP ${tcp.join(', ')} requires client certificates`,
          { hosts, tlsverify: verify, tls: boolValue(v, 'tls'), missing: files },
        );
      }),
  }),
  ctl({
    id: '2.9',
    legacyId: '2.8',
    title: 'Ensure the default ulimit is configured appropriately',
    level: 1,
    automated: false,
    severity: 'LOW',
    remediation:
      'Set "default-ulimits" in daemon.json (at least nofile and nproc) to limits suited to the workloads.',
    check: (e) =>
      withDaemon(e, (d) => {
        const v = d.config.values['default-ulimits'];
        const names = Array.isArray(v)
          ? v.map((x) => String(x).split('=')[0])
          : v && typeof v === 'object'
            ? Object.keys(v)
            : [];
        return verdict(
          e,
          names.length === 0,
          'no default ulimits are set',
          `default ulimits: ${names.sort().join(', ')}`,
          setting(d, 'default-ulimits'),
        );
      }),
  }),
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
