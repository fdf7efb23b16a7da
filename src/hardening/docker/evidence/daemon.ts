import { errorMessage } from '../../../core/errors.js';
import { type DaemonEvidence, missing, ok, type Source } from '../types.js';
import { DEFAULT_CONFIG_FILE, effectiveConfig, parseDockerdArgs, stringValue } from './daemon-config.js';
import type { HostFs } from './host-fs.js';

export interface ProcessEntry {
  pid: number;
  comm: string;
}

/** Processes of interest on the host: dockerd, containerd, docker-proxy (by `comm`). */
export async function listProcesses(fs: HostFs): Promise<Source<ProcessEntry[]>> {
  const dir = await fs.list('/proc');
  if (!dir.ok) return dir;
  if (!dir.value) return missing('/proc is not mounted under the host root');
  const pids = dir.value.filter((n) => /^\d+$/.test(n)).map(Number);
  const entries = await Promise.all(
    pids.map(async (pid) => {
      const comm = await fs.readText(`/proc/${pid}/comm`);
      return comm.ok && comm.value ? { pid, comm: comm.value.replace(/\n$/, '') } : null;
    }),
  );
  return ok(entries.filter((e): e is ProcessEntry => e !== null).sort((a, b) => a.pid - b.pid));
}

async function readArgv(fs: HostFs, pid: number): Promise<Source<string[]>> {
  const text = await fs.readText(`/proc/${pid}/cmdline`);
  if (!text.ok) return text;
  if (text.value === null) return missing(`process ${pid} is gone`);
  return ok(text.value.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1));
}

/** Parse `/proc/<pid>/environ` into a map. */
export async function readEnviron(fs: HostFs, pid: number): Promise<Record<string, string>> {
  const text = await fs.readText(`/proc/${pid}/environ`);
  const env: Record<string, string> = {};
  if (!text.ok || !text.value) return env;
  for (const entry of text.value.split('\0')) {
    const i = entry.indexOf('=');
    if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return env;
}

async function describeDaemon(fs: HostFs, pid: number): Promise<Source<DaemonEvidence>> {
  const [argv, exe, status] = await Promise.all([
    readArgv(fs, pid),
    fs.readLink(`/proc/${pid}/exe`),
    fs.readText(`/proc/${pid}/status`),
  ]);
  if (!argv.ok) return argv;
  if (!exe.ok) return missing(`dockerd (pid ${pid}) executable: ${exe.reason}`);
  const uidLine = status.ok ? /^Uid:\s+(\d+)/m.exec(status.value ?? '') : null;
  if (!uidLine) return missing(`dockerd (pid ${pid}) owner: /proc/${pid}/status unreadable`);
  const parsed = parseDockerdArgs(argv.value.slice(1));
  const uid = Number(uidLine[1]);
  // a rootless daemon keeps its configuration and data under the user's XDG directories
  const rootless = uid !== 0 || parsed.flags.rootless === true;
  const env = rootless ? await readEnviron(fs, pid) : {};
  const home = env.HOME ?? '/root';
  const configPath =
    parsed.configFile ??
    (rootless ? `${env.XDG_CONFIG_HOME ?? `${home}/.config`}/docker/daemon.json` : DEFAULT_CONFIG_FILE);
  const text = await fs.readText(configPath);
  if (!text.ok) return missing(`daemon configuration ${text.reason}`);
  let file: Record<string, unknown> = {};
  if (text.value !== null && text.value.trim() !== '') {
    try {
      const parsedJson: unknown = JSON.parse(text.value);
      if (parsedJson === null || typeof parsedJson !== 'object' || Array.isArray(parsedJson))
        return missing(`${configPath}: not a JSON object`);
      file = parsedJson as Record<string, unknown>;
    } catch (error) {
      return missing(`${configPath}: ${errorMessage(error)}`);
    }
  }
  return ok({
    pid,
    exe: exe.value.replace(/ \(deleted\)$/, ''),
    uid,
    argv: argv.value,
    configFile: { path: configPath, explicit: parsed.configFile !== undefined, exists: text.value !== null },
    config: effectiveConfig(
      parsed.flags,
      file,
      rootless ? { 'data-root': `${env.XDG_DATA_HOME ?? `${home}/.local/share`}/docker` } : {},
    ),
  });
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The daemon's root dir is its data root, or `<data root>/<uid>.<gid>` with user namespace remapping. */
export function servesDataRoot(dataRoot: string | undefined, dockerRootDir: string): boolean {
  if (!dataRoot) return false;
  const root = trimSlash(dataRoot);
  const actual = trimSlash(dockerRootDir);
  return (
    actual === root || (actual.startsWith(`${root}/`) && /^\d+\.\d+$/.test(actual.slice(root.length + 1)))
  );
}

/**
 * Find the dockerd process that serves the daemon we talk to: the one whose data root is the daemon's
 * `DockerRootDir`. Several daemons may run on one host; a remote daemon has none here.
 */
export async function findDaemon(
  fs: HostFs,
  processes: Source<ProcessEntry[]>,
  dockerRootDir: string,
): Promise<Source<DaemonEvidence>> {
  if (!processes.ok) return missing(`cannot list processes: ${processes.reason}`);
  const candidates = processes.value.filter((p) => p.comm === 'dockerd');
  if (candidates.length === 0)
    return missing(
      'no dockerd process on this host (daemon on another host, or a separate PID namespace: run on the daemon host, or pass --root with the host /proc mounted)',
    );
  const described = await Promise.all(candidates.map((p) => describeDaemon(fs, p.pid)));
  const reasons: string[] = [];
  for (const d of described) {
    if (!d.ok) {
      reasons.push(d.reason);
      continue;
    }
    if (servesDataRoot(stringValue(d.value.config.values, 'data-root'), dockerRootDir)) return d;
  }
  if (reasons.length) return missing(reasons.join('; '));
  return missing(`no dockerd process on this host uses data root ${dockerRootDir} (daemon on another host?)`);
}
