import { posix } from 'node:path';
import { boolValue } from '../evidence/daemon-config.js';
import type { ContainerEvidence, Control, Evidence } from '../types.js';
import { define, perContainer } from './helpers.js';

/** Shared facts and builders of the section-5 (container runtime) controls. */
export function ctl(c: Omit<Control, 'section' | 'version' | 'legacyId'>): Control {
  return define({ ...c, legacyId: c.id, section: '5' });
}

/** A simple per-container control: `test` says why a container fails, or null. */
export function each(
  c: Omit<Control, 'section' | 'version' | 'legacyId' | 'check'> & {
    test: (c: ContainerEvidence, e: Evidence) => ReturnType<Parameters<typeof perContainer>[1]>;
    pass: string;
  },
): Control {
  const { test, pass, ...rest } = c;
  return ctl({ ...rest, check: (e) => perContainer(e, (x) => test(x, e), pass) });
}

export function hostMode(field: 'NetworkMode' | 'PidMode' | 'IpcMode' | 'UTSMode' | 'UsernsMode') {
  return (c: ContainerEvidence) => (c.inspect.HostConfig[field] === 'host' ? `${field}=host` : null);
}

export const DANGEROUS_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'BPF',
  'PERFMON',
  'SYSLOG',
]);

export const SENSITIVE_DIRS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

export function sensitive(source: string): string | null {
  const p = posix.normalize(source);
  if (p === '/') return '/';
  return SENSITIVE_DIRS.find((d) => d !== '/' && (p === d || p.startsWith(`${d}/`))) ?? null;
}

/** Host ports of a container's bindings, from the configuration (covers containers that are not running). */
export function bindings(c: ContainerEvidence) {
  const out: { port: string; hostIp: string; hostPort: string }[] = [];
  // with the host network nothing is published (the daemon ignores -p); 5.10 reports the host network itself
  if (c.inspect.HostConfig.NetworkMode === 'host') return out;
  const seen = new Set<string>();
  for (const map of [c.inspect.HostConfig.PortBindings, c.inspect.NetworkSettings.Ports]) {
    for (const [port, list] of Object.entries(map)) {
      for (const b of list ?? []) {
        const key = `${port}|${b.HostIp}|${b.HostPort}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ port, hostIp: b.HostIp, hostPort: b.HostPort });
      }
    }
  }
  return out.sort((a, b) =>
    `${a.port}${a.hostIp}${a.hostPort}` < `${b.port}${b.hostIp}${b.hostPort}` ? -1 : 1,
  );
}

export function daemonSockets(e: Evidence): Set<string> {
  const set = new Set(['/var/run/docker.sock', '/run/docker.sock']);
  if (e.host.dockerSockets.ok) for (const s of e.host.dockerSockets.value) set.add(s);
  if (e.endpoint.kind === 'unix') set.add(e.endpoint.socketPath);
  return set;
}

export function defaultBridgeName(e: Evidence): string {
  return (
    e.networks.find((n) => n.Options['com.docker.network.bridge.default_bridge'] === 'true')?.Name ?? 'bridge'
  );
}

export function lsmEnabled(e: Evidence, name: string): boolean {
  return e.info.SecurityOptions.some((o) => o.split(',').includes(`name=${name}`));
}

export function daemonNoNewPrivileges(e: Evidence): boolean | null {
  return e.daemon.ok ? boolValue(e.daemon.value.config.values, 'no-new-privileges') : null;
}

export function daemonSeccompUnconfined(e: Evidence): boolean {
  return e.info.SecurityOptions.some((o) => o.includes('name=seccomp') && o.includes('profile=unconfined'));
}

export function execUser(exec: { ProcessConfig: { user: string } }, c: ContainerEvidence): string {
  return exec.ProcessConfig.user || c.inspect.Config.User;
}
