import type { Command } from 'commander';
import { envelope } from '../../core/envelope.js';
import { UserInputError } from '../../core/errors.js';
import { plural } from '../../core/render/plural.js';
import type { Store } from '../../store/index.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

/** Control results stored: one per row, plus the plain passes each per-control count row stands for. */
async function controlResultCount(store: Store): Promise<number> {
  const rows = await store.db
    .selectFrom('control_results')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('resource_key', '<>', '')
    .executeTakeFirst();
  const { passCounts } = await import('../../store/control-results.js');
  const scans = await store.db
    .selectFrom('control_results')
    .select('scan_id')
    .distinct()
    .where('resource_key', '=', '')
    .execute();
  let passed = 0;
  for (const { scan_id } of scans)
    passed += Object.values(await passCounts(store.db, scan_id)).reduce((a, b) => a + b, 0);
  return Number(rows?.n ?? 0) + passed;
}

async function status(store: Store) {
  const { appliedMigrations } = await import('../../store/open.js');
  const { LATEST_MIGRATION } = await import('../../store/migrations/index.js');
  const count = async (table: 'advisory_records' | 'images' | 'scans' | 'control_results' | 'resources') => {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  return envelope('StoreStatus', {
    dialect: store.dialect,
    location: store.location,
    migrations: { applied: await appliedMigrations(store), latest: LATEST_MIGRATION },
    counts: {
      // the same word and number as `db status`: published records, not their affected-package rows
      advisories: await count('advisory_records'),
      images: await count('images'),
      scans: await count('scans'),
      // results, not rows: plain passes are stored as one count per control
      controlResults: await controlResultCount(store),
      resources: await count('resources'),
    },
  });
}

async function prune(opts: { olderThan?: string; keepLast?: string }, ctx: CliContext) {
  const [{ parseAge, pruneScans }, { loadServeConfig }] = await Promise.all([
    import('../../store/prune.js'),
    import('../../center/config.js'),
  ]);
  // the flags, else BULKHEAD_RETENTION_*, else retention in <home>/config.yaml: one schema checks all three
  const { retention } = loadServeConfig({
    home: ctx.globals.home,
    retentionFlags: { olderThan: opts.olderThan, keepLast: opts.keepLast },
  });
  if (retention?.olderThan === undefined)
    throw new UserInputError(
      'store prune',
      'give --older-than, or set retention.olderThan in <home>/config.yaml (e.g. retention: {olderThan: 30d})',
    );
  const { keepLast } = retention;
  const before = new Date(ctx.now().getTime() - parseAge(retention.olderThan)!);
  const removed = await ctx.withStore((store) => pruneScans(store.db, store.dialect, { before, keepLast }));
  const doc = envelope('StorePrune', { before: before.toISOString(), keepLast, removed });
  ctx.emit({
    document: doc,
    table: () => ({
      title: `Removed ${plural(removed.scans, 'scan')} started before ${doc.before} (kept the newest ${keepLast} of each kind and target)`,
      columns: [],
      sections: [],
    }),
  });
}

async function report(ctx: CliContext) {
  const doc = await ctx.withStore(status);
  ctx.emit({
    document: doc,
    table: () => ({
      title: `Store: ${doc.dialect} at ${doc.location}`,
      columns: [
        { key: 'what', header: 'WHAT' },
        { key: 'value', header: 'VALUE', align: 'right' },
      ],
      sections: [
        {
          rows: [
            { what: 'schema', value: doc.migrations.applied.at(-1) ?? '(none)' },
            ...Object.entries(doc.counts).map(([what, value]) => ({ what, value })),
          ],
        },
      ],
    }),
  });
}

async function backup(file: string, ctx: CliContext) {
  const { backupSqlite } = await import('../../store/backup.js');
  const target = await ctx.withStore((store) => backupSqlite(store, file));
  ctx.notice(`store backed up to ${target}`);
}

async function restore(file: string, ctx: CliContext) {
  const { isPostgresUrl, sqlitePath } = await import('../../store/open.js');
  const { UserInputError } = await import('../../core/errors.js');
  if (isPostgresUrl(ctx.globals.database)) {
    throw new UserInputError('store restore', 'is for the SQLite store; use pg_restore for PostgreSQL');
  }
  const { restoreSqlite } = await import('../../store/backup.js');
  const target = sqlitePath(ctx.globals.database, ctx.globals.home);
  restoreSqlite(file, target);
  ctx.notice(`store at ${target} restored from ${file}`);
}

export const storeCommands: CommandModule = {
  name: 'store',
  register(program, context) {
    const store = program.command('store').description('the database Bulkhead keeps its results in');
    store
      .command('status')
      .description(
        'show where the store is, its schema version and what it holds (creates and migrates it if needed)',
      )
      .action(async (_opts, cmd: Command) => report(context(cmd)));
    store
      .command('migrate')
      .description(
        'bring the database to the latest schema (every command also does this when it opens the store)',
      )
      .action(async (_opts, cmd: Command) => report(context(cmd)));
    store
      .command('prune')
      .description(
        'delete scans older than --older-than with their results, keeping the newest of each kind and target; then VACUUM (SQLite). Without flags, the retention of <home>/config.yaml applies (retention: {olderThan: 30d, keepLast: 1}; env BULKHEAD_RETENTION_OLDER_THAN, BULKHEAD_RETENTION_KEEP_LAST)',
      )
      .option('--older-than <age>', 'age of the scans to delete: 30d, 12h, 2w (default retention.olderThan)')
      .option(
        '--keep-last <n>',
        'scans of each kind and target kept whatever their age (default retention.keepLast, else 1)',
      )
      .action(async (opts: { olderThan?: string; keepLast?: string }, cmd: Command) =>
        prune(opts, context(cmd)),
      );
    store
      .command('backup')
      .description('write a consistent copy of the SQLite store to FILE, also while serve runs')
      .argument('<file>', 'the backup file to create')
      .action(async (file: string, _opts, cmd: Command) => backup(file, context(cmd)));
    store
      .command('restore')
      .description(
        'replace the SQLite store by a backup, atomically (stop serve first); refuses a file that is not a Bulkhead database',
      )
      .argument('<file>', 'a file written by store backup')
      .action(async (file: string, _opts, cmd: Command) => restore(file, context(cmd)));
  },
};
