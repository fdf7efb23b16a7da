import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * A command group (`db`, `image`, `bench`…): one file under commands/, one line in commands/index.ts.
 * Every group is registered at start-up, so a group file declares its options only and loads its engine with
 * `await import(…)` inside the action: start-up stays fast whatever the number of engines.
 */
export interface CommandModule {
  name: string;
  /** Adds the group to the program. `context(cmd)` gives the resolved global options for an action. */
  register(program: Command, context: (cmd: Command) => CliContext): void;
}
