import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, REPO_ROOT } from './cli-support.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/**
 * `bulkhead serve` as a process on a free port (`globals` go before the command: `--home`, `--database`);
 * resolves once it says where it listens.
 */
export async function startServe(globals: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, ...globals, 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d) => {
    out.stdout += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      out.stderr += d;
      const m = /ready on (http:\/\/\S+)/.exec(out.stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${out.stderr}`)));
  });
  return { child, url, out, exited };
}
