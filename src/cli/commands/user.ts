import type { Command } from 'commander';
import { accessCall, readStdin } from '../access-support.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

async function add(name: string, opts: { role: string; passwordStdin?: boolean }, ctx: CliContext) {
  const { UserInputError } = await import('../../core/errors.js');
  if (!opts.passwordStdin) {
    throw new UserInputError('user add', 'give --password-stdin (a password never goes on the command line)');
  }
  const password = (await readStdin()).replace(/\r?\n$/, '');
  if (password === '') throw new UserInputError('--password-stdin', 'no password on standard input');
  const user = await accessCall(ctx, 'user add', (access, principal) =>
    access.users.add(principal, { name, role: opts.role as never, password }),
  );
  ctx.notice(`user ${user.name} added (${user.role})`);
}

async function list(ctx: CliContext) {
  const { envelope } = await import('../../core/envelope.js');
  const users = await accessCall(ctx, 'user list', async (access) => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await access.users.list({ limit: 500, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    return all;
  });
  ctx.emit({
    document: envelope('UserList', { users }),
    table: () => ({
      title: 'Users',
      columns: [
        { key: 'id', header: 'ID', align: 'right' },
        { key: 'name', header: 'NAME' },
        { key: 'role', header: 'ROLE' },
        { key: 'createdAt', header: 'CREATED' },
      ],
      sections: [
        { rows: users.map((u) => ({ id: u.id, name: u.name, role: u.role, createdAt: u.createdAt })) },
      ],
    }),
  });
}

export const userCommands: CommandModule = {
  name: 'user',
  register(program, context) {
    const user = program
      .command('user')
      .description("the center's local users (works on the store, serve may run)");
    user
      .command('add')
      .description('add a user; the password is read from standard input')
      .argument('<name>', 'user name')
      .requiredOption('--role <role>', 'admin, operator, viewer or agent')
      .option('--password-stdin', 'read the password from standard input (the only way to give it)')
      .action(async (name: string, opts: { role: string; passwordStdin?: boolean }, cmd: Command) =>
        add(name, opts, context(cmd)),
      );
    user
      .command('list')
      .description('list users')
      .action(async (_opts, cmd: Command) => list(context(cmd)));
  },
};
