import type { Command } from 'commander';
import { UserInputError } from '../../core/errors.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

/** A scan id or --limit: a whole number from 1. */
function positive(input: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UserInputError(input, `"${value}" is not a whole number from 1`);
  return n;
}

async function list(ctx: CliContext, opts: { kind?: string; target?: string; limit: string }) {
  const limit = positive('--limit', opts.limit);
  const [{ listScans }, { scanListReport }] = await Promise.all([
    import('../../store/scans.js'),
    import('../../scan-history/report.js'),
  ]);
  const scans = await ctx.withStore((s) =>
    listScans(s.db, {
      ...(opts.kind ? { kind: opts.kind } : {}),
      ...(opts.target ? { target: opts.target } : {}),
      limit,
    }),
  );
  ctx.emit(scanListReport(scans));
}

async function show(ctx: CliContext, id: string) {
  const scanId = positive('scan id', id);
  const [{ loadStoredScan }, { storedScanReport }] = await Promise.all([
    import('../../scan-history/stored-scan.js'),
    import('../../scan-history/report.js'),
  ]);
  ctx.emit(storedScanReport(await ctx.withStore((s) => loadStoredScan(s.db, scanId))));
}

async function diff(ctx: CliContext, a: string, b: string) {
  const from = positive('scan id', a);
  const to = positive('scan id', b);
  const [{ loadStoredScan }, { scanDiffReport }] = await Promise.all([
    import('../../scan-history/stored-scan.js'),
    import('../../scan-history/report.js'),
  ]);
  const [first, second] = await ctx.withStore(async (s) => [
    await loadStoredScan(s.db, from),
    await loadStoredScan(s.db, to),
  ]);
  ctx.emit(scanDiffReport(first, second));
}

export const scansCommands: CommandModule = {
  name: 'scans',
  register(program, context) {
    const scans = program
      .command('scans')
      .description('scans kept in the store: list them, read one back, compare two');
    scans
      .command('list')
      .description(
        'stored scans, newest first: id, kind, target, start and end, and a summary (findings by severity or failing controls)',
      )
      .option(
        '--kind <kind>',
        'only this kind: image, image-rematch, bench-docker, bench-kubernetes, k8s, admission-audit',
      )
      .option('--target <target>', 'only scans of this target (image reference, host, paths or cluster)')
      .option('--limit <n>', 'at most this many (default 50)', '50')
      .action(async (opts, cmd: Command) => list(context(cmd), opts));
    scans
      .command('show')
      .description(
        'one stored scan with its results read back from the store (findings, or control results with the plain passes counted)',
      )
      .argument('<id>', 'the scan id (scans list)')
      .action(async (id: string, _opts, cmd: Command) => show(context(cmd), id));
    scans
      .command('diff')
      .description(
        'new, resolved, changed and unchanged results from scan A to scan B, of the same kind (a result is its resource, control or vulnerability, and package or field)',
      )
      .argument('<a>', 'the earlier scan id')
      .argument('<b>', 'the later scan id')
      .action(async (a: string, b: string, _opts, cmd: Command) => diff(context(cmd), a, b));
  },
};
