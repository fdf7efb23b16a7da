import { CommanderError } from 'commander';
import { ExternalServiceError, errorMessage, UserInputError } from '../core/errors.js';
import { classifyFsError } from '../core/fs-errors.js';
import { visible } from '../core/render/visible.js';
import { TOOL } from '../core/version.js';
import { buildProgram, type ProgramIo } from './program.js';

export const EXIT = { ok: 0, gate: 1, usage: 2, internal: 3 } as const;

/**
 * Run the CLI with `args` (without node and script) and return the exit code. Output goes through the
 * given writers so that tests can capture it. Nothing here calls process.exit.
 */
export async function runCli(
  args: string[],
  io: ProgramIo = {
    writeOut: (text: string) => void process.stdout.write(text),
    writeErr: (text: string) => void process.stderr.write(text),
  },
): Promise<number> {
  const debug = args.includes('--debug');
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (args.length === 0) {
    io.writeOut(program.helpInformation());
    return EXIT.ok;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // commander has printed its one-line message already (outputError)
      return EXIT.usage;
    }
    if (error instanceof UserInputError) {
      io.writeErr(`${TOOL.name}: ${oneLine(errorMessage(error))}\n`);
      if (debug && error.stack) io.writeErr(`${error.stack}\n`);
      return EXIT.usage;
    }
    // a service the input names (registry, Docker daemon, cluster, feed) that is unreachable or answers badly is
    // bad input too: one line naming it, exit 2
    if (error instanceof ExternalServiceError) {
      io.writeErr(`${TOOL.name}: ${oneLine(errorMessage(error))}\n`);
      if (debug && error.stack) io.writeErr(`${error.stack}\n`);
      return EXIT.usage;
    }
    // a file-system error that escaped its command (a path the user gave is missing, a directory, unreadable)
    // is bad input: the one classifier turns it into a line naming the path
    const classified = classifyFsError(error);
    if (classified instanceof UserInputError) {
      io.writeErr(`${TOOL.name}: ${oneLine(errorMessage(classified))}\n`);
      if (debug && error instanceof Error && error.stack) io.writeErr(`${error.stack}\n`);
      return EXIT.usage;
    }
    io.writeErr(
      `${TOOL.name}: internal error: ${oneLine(errorMessage(error))}${debug ? '' : ' (run with --debug for details)'}\n`,
    );
    if (debug && error instanceof Error && error.stack) io.writeErr(`${error.stack}\n`);
    return EXIT.internal;
  }
}

/** An error message on one line, whatever the input it quotes holds (names, paths, fields). */
function oneLine(message: string): string {
  return visible(message.replace(/[ \t]*\n\s*/g, ' '));
}
