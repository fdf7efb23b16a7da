import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
