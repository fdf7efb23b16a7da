import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

export interface Progress {
  /** Set the total (e.g. bytes or files) once known. */
  total(n: number): void;
  advance(n?: number): void;
  label(text: string): void;
  stop(): void;
}

const SILENT: Progress = { total() {}, advance() {}, label() {}, stop() {} };

/** A progress bar on stderr when the context allows one; otherwise nothing at all. */
export function createProgress(ctx: CliContext, title: string): Progress {
  if (!ctx.showProgress) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} [{bar}] {percentage}% {value}/{total} {label}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { label: '' });
  return {
    total: (n) => bar.setTotal(n),
    advance: (n = 1) => bar.increment(n),
    label: (text) => bar.update({ label: text }),
    stop: () => bar.stop(),
  };
}
