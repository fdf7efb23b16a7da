import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** A command group (`db`, `image`, `bench`…): one file under commands/, one line in commands/index.ts. */
export interface CommandModule {
  name: string;
  /** Adds the group to the program. `context(cmd)` gives the resolved global options for an action. */
  register(program: Command, context: (cmd: Command) => CliContext): void;
}
