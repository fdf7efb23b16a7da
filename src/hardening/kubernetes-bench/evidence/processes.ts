import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorMessage } from '../../../core/errors.js';
import { COMPONENTS, type ComponentName, missing, ok, type Source } from '../types.js';

export interface ProcessEntry {
  pid: number;
  comm: string;
  argv: string[];
}

/** Interpreters a component may be started through (`sh /usr/local/bin/kubelet …`): the script is the component. */
const INTERPRETERS = new Set(['sh', 'bash', 'dash', 'ash', 'busybox']);

/**
 * The process table of the node: `ROOT/proc`, read through the operating system (a bind mount or a link to
 * another pid namespace's /proc is followed as the kernel presents it), so that a mounted node is assessed with
 * its own processes.
 */
export async function readProcesses(procDir: string): Promise<Source<ProcessEntry[]>> {
  let names: string[];
  try {
    names = await readdir(procDir);
  } catch (error) {
    return missing(`cannot list ${procDir}: ${errorMessage(error)}`);
  }
  const entries = await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n): Promise<ProcessEntry | null> => {
        try {
          const [cmdline, comm] = await Promise.all([
            readFile(join(procDir, n, 'cmdline'), 'utf8'),
            readFile(join(procDir, n, 'comm'), 'utf8'),
          ]);
          const argv = cmdline.split('\0');
          if (argv.at(-1) === '') argv.pop();
          // kernel threads have no command line; processes that ended since readdir are skipped
          return argv.length ? { pid: Number(n), comm: comm.trim(), argv } : null;
        } catch {
          return null;
        }
      }),
  );
  return ok(entries.filter((e): e is ProcessEntry => e !== null).sort((a, b) => a.pid - b.pid));
}

/**
 * Which component a process is, with its arguments after the program name: by executable name, under hyperkube
 * (`hyperkube kubelet …`), or as a script run by a shell. comm is cut to 15 characters by the kernel, so the
 * command line decides.
 */
export function componentOf(p: ProcessEntry): { name: ComponentName; args: string[] } | null {
  const names = COMPONENTS as readonly string[];
  const base = basename(p.argv[0] ?? '');
  if (names.includes(base)) return { name: base as ComponentName, args: p.argv.slice(1) };
  const second = basename(p.argv[1] ?? '');
  if ((base === 'hyperkube' || INTERPRETERS.has(base)) && names.includes(second))
    return { name: second as ComponentName, args: p.argv.slice(2) };
  return null;
}

/** The environment of a process, or {} when it cannot be read (another user's, or gone). */
export async function readEnviron(procDir: string, pid: number): Promise<Record<string, string>> {
  try {
    const text = await readFile(join(procDir, String(pid), 'environ'), 'utf8');
    const env: Record<string, string> = {};
    for (const pair of text.split('\0')) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return env;
  } catch {
    return {};
  }
}
