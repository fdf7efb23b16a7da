import type { Command } from 'commander';
import { accessCall } from '../access-support.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

interface CreateOptions {
  name: string;
  role: string;
  scope?: string;
  expires?: string;
}

/** The token goes to stdout alone (or `{token, id, prefix}` with --format json): it is shown this once. */
async function create(opts: CreateOptions, ctx: CliContext) {
  const created = await accessCall(ctx, 'token create', (access, principal) =>
    access.tokens.create(principal, {
      name: opts.name,
      role: opts.role as never,
      ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
      ...(opts.expires !== undefined ? { expires: opts.expires } : {}),
    }),
  );
  const text =
    ctx.globals.format === 'json'
      ? `${JSON.stringify({ token: created.token, id: created.id, prefix: created.prefix }, null, 2)}\n`
      : `${created.token}\n`;
  process.stdout.write(text);
  ctx.notice(`token ${created.id} (bh_${created.prefix}_…) created; it is not shown again`);
}

async function list(opts: { revoked?: boolean }, ctx: CliContext) {
  const { envelope } = await import('../../core/envelope.js');
  const tokens = await accessCall(ctx, 'token list', async (access) => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await access.tokens.list({
        limit: 500,
        revoked: opts.revoked === true,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    return all;
  });
  ctx.emit({
    document: envelope('TokenList', { tokens }),
    table: () => ({
      title: 'API tokens',
      columns: [
        { key: 'id', header: 'ID', align: 'right' },
        { key: 'prefix', header: 'PREFIX' },
        { key: 'name', header: 'NAME' },
        { key: 'role', header: 'ROLE' },
        { key: 'scope', header: 'SCOPE' },
        { key: 'expires', header: 'EXPIRES' },
        { key: 'lastUsed', header: 'LAST USED' },
        { key: 'state', header: 'STATE' },
      ],
      sections: [
        {
          rows: tokens.map((t) => ({
            id: t.id,
            prefix: t.prefix,
            name: t.name,
            role: t.role,
            scope: t.scope ?? '',
            expires: t.expiresAt ?? 'never',
            lastUsed: t.lastUsedAt ?? 'never',
            state: t.revokedAt ? 'revoked' : 'active',
          })),
        },
      ],
    }),
  });
}

async function revoke(idOrPrefix: string, ctx: CliContext) {
  const token = await accessCall(ctx, 'token revoke', (access, principal) =>
    access.tokens.revoke(principal, idOrPrefix),
  );
  ctx.notice(`token ${token.id} (bh_${token.prefix}_…) revoked`);
}

export const tokenCommands: CommandModule = {
  name: 'token',
  register(program, context) {
    const token = program
      .command('token')
      .description('API tokens for scripts and agents (works on the store, serve may run)');
    token
      .command('create')
      .description(
        'create a token and print it (alone; --format json: {token, id, prefix}); it is shown once',
      )
      .requiredOption('--name <name>', 'what the token is for')
      .requiredOption('--role <role>', 'admin, operator, viewer or agent')
      .option(
        '--scope <key>',
        'agent tokens: the one host:, cluster: or registry: resource it may report about',
      )
      .option('--expires <date>', 'YYYY-MM-DD (expires at 00:00 UTC that day) or an ISO date-time')
      .action(async (opts: CreateOptions, cmd: Command) => create(opts, context(cmd)));
    token
      .command('list')
      .description('list tokens (never their secret)')
      .option('--revoked', 'include revoked tokens')
      .action(async (opts: { revoked?: boolean }, cmd: Command) => list(opts, context(cmd)));
    token
      .command('revoke')
      .description('revoke a token by id or prefix; a running serve refuses it from its next request')
      .argument('<id-or-prefix>', 'the token id or its prefix')
      .action(async (idOrPrefix: string, _opts, cmd: Command) => revoke(idOrPrefix, context(cmd)));
  },
};
