import type { Command } from 'commander';
import type { CliContext } from './context.js';

/**
 * A command group (`db`, `image`, `bench`…): one file under commands/, one line in commands/index.ts.
 * Every group is registered at start-up, so a group file declares its options only and loads its engine with
 * `await import(…)` inside the action: start-up stays fast whatever the number of engines.
 * An action parses its flags, calls the engine's entry point (which returns its documents and its gate as values),
 * renders with `ctx.emit`, and hands the gate's exit code back with `ctx.exit(code)`; it never sets
 * `process.exitCode`, so that runCli returns the code and the same engines run unchanged in a server.
 */
export interface CommandModule {
  name: string;
  /** Adds the group to the program. `context(cmd)` gives the resolved global options for an action. */
  register(program: Command, context: (cmd: Command) => CliContext): void;
}
