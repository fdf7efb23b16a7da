import { readFileSync } from 'node:fs';
import type { RuntimeEvent } from '../event.js';

const CONTAINER_ID = /(?:docker[-/]|containerd[-/]|cri-containerd[-:]|crio[-:]|libpod[-:])([0-9a-f]{64})/;

/** Container id of a live process from `/proc/<pid>/cgroup` (Docker, containerd, CRI-O, Podman layouts). */
export function containerFromCgroup(pid: number, procRoot = '/proc'): string | undefined | null {
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined; // the process is gone: unknown
  }
  return CONTAINER_ID.exec(text)?.[1] ?? null; // null: a host process
}

/**
 * Attributes auditd events to containers: the process's cgroup while it lives, else its parent's, else what
 * was learnt earlier for the pid or its parent (exec events, Docker's container main pids). Bounded maps.
 */
export class ContainerAttribution {
  private readonly known = new Map<number, string | null>();

  constructor(private readonly procRoot = '/proc') {}

  /** Record a container's main process (from Docker inspect `State.Pid`). */
  learn(pid: number, container: string | null): void {
    this.known.delete(pid);
    this.known.set(pid, container);
    if (this.known.size > 65_536) this.known.delete(this.known.keys().next().value!);
  }

  lookup(pid: number | undefined): string | null | undefined {
    if (pid === undefined || pid <= 0) return undefined;
    const live = containerFromCgroup(pid, this.procRoot);
    if (live !== undefined) {
      this.learn(pid, live);
      return live;
    }
    return this.known.get(pid);
  }

  enrich(e: RuntimeEvent): void {
    const p = e.process;
    if (!p || p.container) return;
    const own = this.lookup(p.pid);
    const found = own !== undefined ? own : this.lookup(p.ppid);
    if (found) {
      p.container = found;
      this.learn(p.pid, found);
    } else if (found === null) this.learn(p.pid, null);
  }
}
