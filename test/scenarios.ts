import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { processAlive } from '../src/core/process-alive.js';
import { SHARED_ROOT } from './shared-root.js';

const run = promisify(execFile);

/** Path of a file under ../shared (scenarios, reference); throws with a clear message when it is absent. */
export function sharedPath(...parts: string[]): string {
  const path = join(SHARED_ROOT, ...parts);
  if (!existsSync(path))
    throw new Error(`shared path missing: ${path} (is ../shared beside the repository?)`);
  return path;
}

/** Path of a scenario script under ../shared/scenarios. */
export function scenarioPath(name: string): string {
  return sharedPath('scenarios', name);
}

/** Take a lock directory shared across processes, waiting while its owner lives; a dead owner's lock is taken over. */
async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {}
      // no pid yet: its owner is between mkdir and write; wait for it like for a live owner
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner))
        rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface ExpectationRow {
  scope: string;
  target: string;
  id: string;
  legacyId: string;
  note: string;
}

/** A scenario script (`up`, `down`, `env`, `expect`) driven from tests and benchmarks. */
export class Scenario {
  readonly script: string;

  constructor(name: string) {
    this.script = scenarioPath(name);
  }

  private async call(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    const { stdout } = await run(this.script, args, {
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...env },
    });
    return stdout;
  }

  /** Set the scenario up (idempotent); `env` passes the script's BULKHEAD_SCN_* settings. */
  up(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
    return this.call(['up', ...args], env);
  }

  down(...args: string[]): Promise<string> {
    return this.call(['down', ...args]);
  }

  /**
   * Bring the scenario up for one test file, for that file alone: in a full run several files use it, and one
   * file's containers or its `down` would change what another asserts (two concurrent `up`s also collide on the
   * scenario's ports). Waits until no other process holds it; the returned `release` takes it down and lets the
   * next one in.
   */
  async hold(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<() => Promise<void>> {
    const lock = join(tmpdir(), `bulkhead-scenario-${basename(this.script)}.lock`);
    await acquire(lock);
    try {
      await this.up(args, env);
    } catch (error) {
      rmSync(lock, { recursive: true, force: true });
      throw error;
    }
    return async () => {
      try {
        await this.down();
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    };
  }

  /** The DOCKER_HOST clients should use (`undefined` = the default socket). */
  async dockerHost(): Promise<string | undefined> {
    const out = await this.call(['env']);
    return /export DOCKER_HOST=(\S+)/.exec(out)?.[1];
  }

  /** The expectations manifest (header dropped). */
  async expectations(): Promise<ExpectationRow[]> {
    const out = await this.call(['expect']);
    return out
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => {
        const [scope = '', target = '', id = '', legacyId = '', note = ''] = line.split('\t');
        return { scope, target, id, legacyId, note };
      });
  }
}
