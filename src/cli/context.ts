import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { batches, writeOutputFile } from '../core/output-file.js';
import { outputWidth, type Report, renderReportChunks } from '../core/render/index.js';
import { visible } from '../core/render/visible.js';
import type { Store } from '../store/index.js';

/** Global options after defaults and environment are applied. */
export interface Globals {
  format: string;
  output: string | undefined;
  quiet: boolean;
  progress: boolean;
  color: boolean;
  home: string;
  database: string | undefined;
  debug: boolean;
  /** `--wide`: tables are not fitted to the width. */
  wide: boolean;
  /** Characters tables fit: $COLUMNS, else the terminal's, else 120. */
  width: number;
}

export function resolveGlobals(opts: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Globals {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    format: str(opts.format) ?? 'table',
    output: str(opts.output),
    quiet: opts.quiet === true,
    progress: opts.progress !== false && opts.quiet !== true,
    color: opts.color !== false && !env.NO_COLOR,
    home: resolve(str(opts.home) ?? str(env.BULKHEAD_HOME) ?? join(homedir(), '.bulkhead')),
    database: str(opts.database) ?? str(env.BULKHEAD_DATABASE_URL),
    debug: opts.debug === true,
    wide: opts.wide === true,
    width: outputWidth(env),
  };
}

/** What a command needs from the CLI: its options, output, notices, the store and where its exit code goes. */
export class CliContext {
  /**
   * @param onExit receives the exit code an action asks for (a gate that matched); runCli returns the last one.
   */
  constructor(
    readonly globals: Globals,
    private readonly onExit: (code: number) => void = () => {},
  ) {}

  /** Ask the CLI to exit with `code` once the action is done (gates: `--exit-code`). 0 changes nothing. */
  exit(code: number): void {
    if (code !== 0) this.onExit(code);
  }

  /** Render the report in the chosen format to --output or stdout; `summaryOnly` for `--summary`. */
  emit(report: Report, view: { summaryOnly?: boolean } = {}): void {
    const toFile = this.globals.output !== undefined;
    const color = this.globals.color && !toFile && process.stdout.isTTY === true;
    const chunks = renderReportChunks(report, this.globals.format, {
      color,
      width: this.globals.width,
      wide: this.globals.wide,
      ...(view.summaryOnly ? { summaryOnly: true } : {}),
    });
    if (!toFile) {
      for (const text of batches(chunks)) process.stdout.write(text);
      return;
    }
    writeOutputFile(this.globals.output!, chunks);
  }

  /** A notice on stderr, unless --quiet. */
  notice(message: string): void {
    if (!this.globals.quiet) process.stderr.write(`${visible(message)}\n`);
  }

  /** A warning on stderr, also under --quiet (which hides notices, not what limits the result's trust). */
  warn(message: string): void {
    process.stderr.write(`${visible(message)}\n`);
  }

  /**
   * The time the command runs at: `BULKHEAD_NOW` (ISO-8601) when set, so that age checks (stale advisory data,
   * retention) can be tested at a fixed date; else the clock.
   */
  now(env: NodeJS.ProcessEnv = process.env): Date {
    const fixed = env.BULKHEAD_NOW;
    if (!fixed) return new Date();
    const date = new Date(fixed);
    if (Number.isNaN(date.getTime()))
      throw new UserInputError('BULKHEAD_NOW', `"${fixed}" is not an ISO-8601 time`);
    return date;
  }

  /** Whether progress bars may be drawn (stderr is a terminal and they were not turned off). */
  get showProgress(): boolean {
    return this.globals.progress && process.stderr.isTTY === true;
  }

  /**
   * Open the configured store; the caller closes it. The store (Kysely, drivers) is loaded only here, so that
   * commands which never store anything start fast.
   */
  async openStore(): Promise<Store> {
    const { openStore } = await import('../store/open.js');
    return openStore({ url: this.globals.database, home: this.globals.home, warn: (m) => this.warn(m) });
  }

  /** Open the store, run `fn`, close the store whatever happens. */
  async withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await this.openStore();
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }
}
