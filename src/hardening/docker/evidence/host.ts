import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../../../core/errors.js';
import { type DaemonEvidence, type FileStat, type HostEvidence, missing, ok, type Source } from '../types.js';
import { type AuditRule, parseAuditRules } from './audit-rules.js';
import { type ProcessEntry, readEnviron } from './daemon.js';
import { listValue, stringValue } from './daemon-config.js';
import type { HostFs } from './host-fs.js';
import type { Info } from './schema.js';

const run = promisify(execFile);

const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Fixed paths sections 1 and 3 look at (when present). */
export const FIXED_PATHS = [
  '/etc/docker',
  '/etc/default/docker',
  '/etc/sysconfig/docker',
  '/etc/containerd/config.toml',
  '/run/containerd',
];

async function findUnit(fs: HostFs, name: string): Promise<string | null> {
  for (const dir of UNIT_DIRS) {
    const path = `${dir}/${name}`;
    if (await fs.exists(path)) return path;
  }
  return null;
}

async function units(fs: HostFs): Promise<HostEvidence['units']> {
  const [service, socket] = await Promise.all([
    findUnit(fs, 'docker.service'),
    findUnit(fs, 'docker.socket'),
  ]);
  const dropIns: string[] = [];
  for (const dir of UNIT_DIRS) {
    const list = await fs.list(`${dir}/docker.service.d`);
    if (list.ok && list.value)
      dropIns.push(
        ...list.value.filter((f) => f.endsWith('.conf')).map((f) => `${dir}/docker.service.d/${f}`),
      );
  }
  return ok({ service, socket, dropIns });
}

async function which(fs: HostFs, name: string, path: string): Promise<string | null> {
  if (name.startsWith('/')) return (await fs.exists(name)) ? name : null;
  for (const dir of path.split(':').filter((d) => d.startsWith('/'))) {
    const candidate = posix.join(dir, name);
    if (await fs.exists(candidate)) return candidate;
  }
  return null;
}

async function binaries(
  fs: HostFs,
  info: Info,
  daemon: Source<DaemonEvidence>,
  processes: Source<ProcessEntry[]>,
): Promise<HostEvidence['binaries']> {
  if (!daemon.ok) return missing(daemon.reason);
  const env = await readEnviron(fs, daemon.value.pid);
  const path = env.PATH ?? DEFAULT_PATH;
  let containerd: string | null = null;
  const containerdProc = processes.ok ? processes.value.find((p) => p.comm === 'containerd') : undefined;
  if (containerdProc) {
    const exe = await fs.readLink(`/proc/${containerdProc.pid}/exe`);
    if (exe.ok) containerd = exe.value.replace(/ \(deleted\)$/, '');
  }
  containerd ??= await which(fs, 'containerd', path);
  const runtime = info.Runtimes[info.DefaultRuntime || 'runc']?.path || 'runc';
  return ok({
    dockerd: daemon.value.exe,
    containerd,
    'containerd-shim': await which(fs, 'containerd-shim', path),
    'containerd-shim-runc-v1': await which(fs, 'containerd-shim-runc-v1', path),
    'containerd-shim-runc-v2': await which(fs, 'containerd-shim-runc-v2', path),
    runc: await which(fs, runtime, path),
  });
}

function unixPath(address: string): string | null {
  if (address.startsWith('unix://')) return address.slice('unix://'.length);
  if (address.startsWith('/')) return address;
  return null;
}

/**
 * The sockets the daemon serves: unix paths from `hosts`/-H (default /var/run/docker.sock), and for `fd://`
 * the ListenStream entries of docker.socket (paths are unix sockets, anything else a TCP address).
 */
async function daemonListeners(
  fs: HostFs,
  daemon: Source<DaemonEvidence>,
  socketUnit: string | null,
): Promise<Source<{ unix: string[]; socketActivatedTcp: string[] }>> {
  if (!daemon.ok) return missing(daemon.reason);
  const hosts = listValue(daemon.value.config.values, 'hosts');
  const sockets = new Set<string>();
  const tcp = new Set<string>();
  if (hosts.length === 0) sockets.add('/var/run/docker.sock');
  for (const host of hosts) {
    const path = unixPath(host);
    if (path) sockets.add(path);
    if (host.startsWith('fd://') && socketUnit) {
      const text = await fs.readText(socketUnit);
      if (!text.ok) return missing(text.reason);
      for (const m of (text.value ?? '').matchAll(/^\s*ListenStream\s*=\s*(\S+)/gm)) {
        if (m[1]!.startsWith('/')) sockets.add(m[1]!);
        else tcp.add(`tcp://${/^\d+$/.test(m[1]!) ? `0.0.0.0:${m[1]}` : m[1]}`);
      }
    }
  }
  return ok({ unix: [...sockets].sort(), socketActivatedTcp: [...tcp].sort() });
}

async function containerdSockets(fs: HostFs, daemon: Source<DaemonEvidence>): Promise<Source<string[]>> {
  if (!daemon.ok) return missing(daemon.reason);
  const configured = stringValue(daemon.value.config.values, 'containerd');
  if (configured) return ok([unixPath(configured) ?? configured]);
  const managed = `${stringValue(daemon.value.config.values, 'exec-root')}/containerd/containerd.sock`;
  for (const candidate of [managed, '/run/containerd/containerd.sock']) {
    if (await fs.exists(candidate)) return ok([candidate]);
  }
  return missing(`no containerd socket found (looked at ${managed} and /run/containerd/containerd.sock)`);
}

async function registryCerts(fs: HostFs): Promise<Source<FileStat[]>> {
  const base = '/etc/docker/certs.d';
  const dirs = await fs.list(base);
  if (!dirs.ok) return dirs;
  const out: FileStat[] = [];
  for (const dir of dirs.value ?? []) {
    const files = await fs.list(`${base}/${dir}`);
    if (!files.ok) return files;
    for (const f of files.value ?? []) {
      const s = await fs.stat(`${base}/${dir}/${f}`);
      if (!s.ok) return s;
      if (s.value && s.value.type === 'file') out.push(s.value);
    }
  }
  return ok(out);
}

async function audit(fs: HostFs): Promise<HostEvidence['audit']> {
  let auditctlProblem = 'auditctl not used under --root';
  if (fs.root === '/') {
    try {
      const { stdout } = await run('auditctl', ['-l'], { timeout: 10_000 });
      return ok({ source: 'auditctl -l', rules: parseAuditRules(stdout) });
    } catch (error) {
      auditctlProblem = `auditctl -l failed: ${errorMessage(error).split('\n')[0]}`;
    }
  }
  const rules: AuditRule[] = [];
  const sources: string[] = [];
  const main = await fs.readText('/etc/audit/audit.rules');
  if (main.ok && main.value !== null) {
    rules.push(...parseAuditRules(main.value));
    sources.push('/etc/audit/audit.rules');
  }
  const dir = await fs.list('/etc/audit/rules.d');
  for (const f of dir.ok ? (dir.value ?? []) : []) {
    if (!f.endsWith('.rules')) continue;
    const text = await fs.readText(`/etc/audit/rules.d/${f}`);
    if (!text.ok) return missing(text.reason);
    rules.push(...parseAuditRules(text.value ?? ''));
    sources.push(`/etc/audit/rules.d/${f}`);
  }
  if (sources.length === 0) return missing(`${auditctlProblem}, and no audit rules files under /etc/audit`);
  return ok({ source: sources.join(', '), rules });
}

async function dockerGroup(fs: HostFs, daemon: Source<DaemonEvidence>): Promise<HostEvidence['dockerGroup']> {
  const name = (daemon.ok && stringValue(daemon.value.config.values, 'group')) || 'docker';
  const [group, passwd] = await Promise.all([fs.readText('/etc/group'), fs.readText('/etc/passwd')]);
  if (!group.ok) return group;
  if (!passwd.ok) return passwd;
  if (group.value === null) return missing('/etc/group not found');
  const line = group.value.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return ok(null);
  const fields = line.split(':');
  const gid = Number(fields[2]);
  const members = new Set((fields[3] ?? '').split(',').filter(Boolean));
  for (const user of (passwd.value ?? '').split('\n')) {
    const f = user.split(':');
    if (f.length > 3 && Number(f[3]) === gid && f[0]) members.add(f[0]);
  }
  return ok({ name, gid, members: [...members].sort() });
}

async function mounts(fs: HostFs): Promise<HostEvidence['mounts']> {
  const text = await fs.readText(fs.root === '/' ? '/proc/self/mountinfo' : '/proc/1/mountinfo');
  if (!text.ok) return text;
  if (text.value === null) return missing('mountinfo not found (is /proc mounted under the host root?)');
  const out = [];
  for (const line of text.value.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const f = left.split(' ');
    const r = right.split(' ');
    const unescapeOctal = (s: string) =>
      s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    out.push({
      mountPoint: unescapeOctal(f[4] ?? ''),
      device: f[2] ?? '',
      fsRoot: unescapeOctal(f[3] ?? ''),
      fsType: r[0] ?? '',
      source: r[1] ?? '',
    });
  }
  return ok(out);
}

async function contentTrust(fs: HostFs): Promise<HostEvidence['contentTrust']> {
  const found: HostEvidence['contentTrust'] = [];
  if (fs.root === '/')
    found.push({ source: 'environment of this process', value: process.env.DOCKER_CONTENT_TRUST });
  const files = ['/etc/environment'];
  const profile = await fs.list('/etc/profile.d');
  if (profile.ok)
    files.push(...(profile.value ?? []).filter((f) => f.endsWith('.sh')).map((f) => `/etc/profile.d/${f}`));
  for (const file of files) {
    const text = await fs.readText(file);
    const m = text.ok ? /^\s*(?:export\s+)?DOCKER_CONTENT_TRUST=["']?(\w*)/m.exec(text.value ?? '') : null;
    if (m) found.push({ source: file, value: m[1] });
  }
  return found;
}

/** Everything read from the host side (files, processes, audit rules), concurrently. */
export async function collectHost(
  fs: HostFs,
  info: Info,
  daemon: Source<DaemonEvidence>,
  processes: Source<ProcessEntry[]>,
): Promise<HostEvidence> {
  const unitsEv = await units(fs);
  const socketUnit = unitsEv.ok ? unitsEv.value.socket : null;
  const [bins, listeners, cSockets, certs, auditEv, group, mountEv, trust] = await Promise.all([
    binaries(fs, info, daemon, processes),
    daemonListeners(fs, daemon, socketUnit),
    containerdSockets(fs, daemon),
    registryCerts(fs),
    audit(fs),
    dockerGroup(fs, daemon),
    mounts(fs),
    contentTrust(fs),
  ]);
  const dSockets: Source<string[]> = listeners.ok ? ok(listeners.value.unix) : listeners;
  const paths = new Set<string>([...FIXED_PATHS, info.DockerRootDir]);
  if (unitsEv.ok)
    for (const p of [unitsEv.value.service, unitsEv.value.socket, ...unitsEv.value.dropIns])
      if (p) paths.add(p);
  if (bins.ok) for (const p of Object.values(bins.value)) if (p) paths.add(p);
  if (dSockets.ok) for (const p of dSockets.value) paths.add(p);
  if (cSockets.ok) for (const p of cSockets.value) paths.add(p);
  if (daemon.ok) {
    paths.add(daemon.value.configFile.path);
    for (const key of ['tlscacert', 'tlscert', 'tlskey']) {
      const p = stringValue(daemon.value.config.values, key);
      if (p) paths.add(p);
    }
  }
  const sorted = [...paths].filter((p) => p.startsWith('/')).sort();
  const stats = await Promise.all(sorted.map((p) => fs.stat(p)));
  return {
    hostname: info.Name,
    root: fs.root,
    files: new Map(sorted.map((p, i) => [p, stats[i]!])),
    audit: auditEv,
    dockerGroup: group,
    mounts: mountEv,
    units: unitsEv,
    binaries: bins,
    dockerSockets: dSockets,
    socketActivatedTcp: listeners.ok ? ok(listeners.value.socketActivatedTcp) : listeners,
    containerdSockets: cSockets,
    registryCerts: certs,
    contentTrust: trust,
    dockerProxies: processes.ok
      ? ok(processes.value.filter((p) => p.comm === 'docker-proxy').length)
      : missing(processes.reason),
  };
}
