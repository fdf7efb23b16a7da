import { Command, Option } from 'commander';
import { TOOL } from '../core/version.js';
import { finishCommands } from './command-help.js';
import { COMMANDS } from './commands/index.js';
import { CliContext, resolveGlobals } from './context.js';
import { GLOBAL_OPTIONS } from './global-options.js';

export interface ProgramIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * The whole `bulkhead` command tree. It never exits the process: errors are thrown as CommanderError, and the exit
 * code an action asks for (`ctx.exit`) goes to `onExit`.
 */
export function buildProgram(io: ProgramIo, onExit: (code: number) => void = () => {}): Command {
  const program = new Command(TOOL.name)
    .description(
      'Bulkhead: self-hosted container security center (images, Docker hosts, Kubernetes, run time)',
    )
    .version(TOOL.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      // commander's messages start with "error: "; keep them to one line naming the tool
      outputError: (text, write) =>
        write(
          `${TOOL.name}: ${text
            .trim()
            .replace(/^error: /, '')
            .replace(/\n+/g, ' ')}\n`,
        ),
    });
  for (const option of GLOBAL_OPTIONS) {
    const opt = new Option(option.flags, option.description);
    if (option.env) opt.env(option.env);
    if (option.defaultDescription) opt.default(undefined, option.defaultDescription);
    program.addOption(opt);
  }
  const context = (cmd: Command) => new CliContext(resolveGlobals(cmd.optsWithGlobals()), onExit);
  for (const module of COMMANDS) module.register(program, context);
  finishCommands(program);
  return program;
}
