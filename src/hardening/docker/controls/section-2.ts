import { boolValue, listValue, stringValue } from '../evidence/daemon-config.js';
import type { Control } from '../types.js';
import {
  ctl,
  defaultBridge,
  flag,
  LOOPBACK_CIDRS,
  securityOption,
  setting,
  verdict,
} from './daemon-facts.js';
import { withDaemon } from './helpers.js';

/** CIS section 2, daemon configuration: 2.1–2.9 (2.10–2.19 in section-2-continued.ts). */
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
        if (!e.host.socketActivatedTcp.ok)
          return { status: 'error', message: e.host.socketActivatedTcp.reason };
        const activated = e.host.socketActivatedTcp.value;
        const tcp = [...hosts.filter((h) => h.startsWith('tcp://')), ...activated];
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
          {
            hosts,
            socketActivatedTcp: activated,
            tlsverify: verify,
            tls: boolValue(v, 'tls'),
            missing: files,
          },
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
];
