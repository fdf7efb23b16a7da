import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { CLI, REPO_ROOT } from './cli-support.js';

export interface MeasuredRun {
  code: number | null;
  stderr: string;
  /** Largest resident set size seen, sampled every 50 ms from /proc, in bytes. */
  peakRss: number;
  ms: number;
}

function rssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Run the built CLI (stdout discarded) and sample its peak RSS (VmHWM) until it exits. */
export function runMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let peak = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setInterval(() => {
      if (child.pid) peak = Math.max(peak, rssOf(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('exit', () => {
      if (child.pid) peak = Math.max(peak, rssOf(child.pid));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stderr, peakRss: peak, ms: Date.now() - start });
    });
  });
}

/** The memory target for an input of `bytes`: 3× its size plus 200 MB. */
export const rssTarget = (bytes: number) => 3 * bytes + 200 * 1024 * 1024;

/**
 * Write an auditd log of about `bytes` by streaming (never held in memory): execve events of a shell in a
 * container, two records and an end-of-event marker each, serials counting up.
 */
export async function writeAuditLog(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let serial = 1;
  while (written < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++, serial++) {
      const t = `${1700000000 + Math.floor(serial / 1000)}.${String(serial % 1000).padStart(3, '0')}`;
      lines.push(
        `type=SYSCALL msg=audit(${t}:${serial}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=100 pid=${1000 + (serial % 30000)} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="sh" exe="/bin/sh" key="exec"`,
        `type=EXECVE msg=audit(${t}:${serial}): argc=2 a0="sh" a1="-c"`,
        `type=EOE msg=audit(${t}:${serial}): `,
      );
    }
    const chunk = `${lines.join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return written;
}
