import { missing, ok, type ProcessInfo, type Source } from '../types.js';
import type { ProcessEntry } from './daemon.js';
import type { HostFs } from './host-fs.js';

/**
 * The processes of running containers, read from the host's /proc: a process belongs to a container when
 * it sits in the container's cgroup (the cgroup of its init process, whose path names the container id).
 * Unlike listing the PID namespace, this stays right for containers that share the host PID namespace.
 */
export class ContainerProcesses {
  private groups: Promise<Map<string, ProcessEntry[]>> | undefined;

  constructor(
    private readonly fs: HostFs,
    private readonly processes: Promise<Source<ProcessEntry[]>>,
  ) {}

  /** The container's processes, or undefined when this host's /proc does not show the container. */
  async of(containerId: string, initPid: number): Promise<Source<ProcessInfo[]> | undefined> {
    if (initPid <= 0) return undefined;
    const cgroup = await this.fs.readText(`/proc/${initPid}/cgroup`);
    if (!cgroup.ok || !cgroup.value?.includes(containerId)) return undefined;
    const groups = await this.load();
    const members = groups.get(cgroup.value) ?? [];
    const out: ProcessInfo[] = [];
    for (const p of members) {
      const cmdline = await this.fs.readText(`/proc/${p.pid}/cmdline`);
      if (!cmdline.ok) return missing(cmdline.reason);
      if (cmdline.value === null) continue; // exited meanwhile
      const args = cmdline.value.split('\0').filter(Boolean).join(' ');
      out.push({ comm: p.comm, args: args || `[${p.comm}]` });
    }
    return ok(out.sort((a, b) => (a.args < b.args ? -1 : a.args > b.args ? 1 : 0)));
  }

  private load(): Promise<Map<string, ProcessEntry[]>> {
    this.groups ??= this.processes.then(async (list) => {
      const map = new Map<string, ProcessEntry[]>();
      if (!list.ok) return map;
      const cgroups = await Promise.all(list.value.map((p) => this.fs.readText(`/proc/${p.pid}/cgroup`)));
      list.value.forEach((p, i) => {
        const c = cgroups[i]!;
        if (!c.ok || !c.value) return;
        const group = map.get(c.value) ?? [];
        group.push(p);
        map.set(c.value, group);
      });
      return map;
    });
    return this.groups;
  }
}
