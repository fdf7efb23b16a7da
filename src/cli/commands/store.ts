import type { Command } from 'commander';
import { envelope } from '../../core/envelope.js';
import type { Store } from '../../store/index.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

async function status(store: Store) {
  const { appliedMigrations } = await import('../../store/open.js');
  const { LATEST_MIGRATION } = await import('../../store/migrations/index.js');
  const count = async (table: 'advisories' | 'images' | 'scans' | 'control_results' | 'resources') => {
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
      advisories: await count('advisories'),
      images: await count('images'),
      scans: await count('scans'),
      controlResults: await count('control_results'),
      resources: await count('resources'),
    },
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
  },
};
