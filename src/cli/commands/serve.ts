import type { Command } from 'commander';
import { outputWidth, wrapText } from '../../core/render/table-layout.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { untilStopped } from '../until-stopped.js';

interface ServeOptions {
  host?: string;
  port?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** Flags → config → serve/boot.ts; stops on SIGTERM/SIGINT once in-flight requests are answered. */
async function serve(opts: ServeOptions, ctx: CliContext): Promise<void> {
  const { resolveServeConfig } = await import('../../center/config.js');
  const { boot } = await import('../../serve/boot.js');
  const { config, input } = resolveServeConfig({
    home: ctx.globals.home,
    flags: {
      host: opts.host,
      port: opts.port,
      tlsCert: opts.tlsCert,
      tlsKey: opts.tlsKey,
      database: ctx.globals.database,
    },
  });
  const server = await boot({
    home: ctx.globals.home,
    config,
    inputs: { host: input('host'), port: input('port') },
    // notices go to stderr even with --quiet: the first admin's password file must not go unnoticed
    notice: (message) => process.stderr.write(`${message}\n`),
    ...(ctx.globals.debug ? { logger: { level: 'info' } } : {}),
  });
  process.stderr.write(`bulkhead serve: ready on ${server.url}\n`);
  await untilStopped();
  process.stderr.write('bulkhead serve: stopping\n');
  await server.close();
}

export const serveCommands: CommandModule = {
  name: 'serve',
  register(program, context) {
    program
      .command('serve')
      .description(
        'run the center: the API under /api/v1 (docs at /api/docs), /healthz, /readyz, /metrics; SQLite by default, PostgreSQL with --database postgres://…',
      )
      .option('--host <address>', 'address to listen on (default 127.0.0.1; env BULKHEAD_HOST)')
      .option('--port <port>', 'port to listen on, 0 for a free one (default 8080; env BULKHEAD_PORT)')
      .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key; env BULKHEAD_TLS_CERT)')
      .option('--tls-key <file>', 'PEM private key of --tls-cert (env BULKHEAD_TLS_KEY)')
      .addHelpText('after', () =>
        [
          '',
          ...wrapText(
            'Settings also come from <home>/config.yaml (host, port, tlsCert, tlsKey, database, bodyLimit, reportBodyLimit, requireApproval, sessionTtl, loginRateLimit, retention for store prune, vulnSeveritySource for image scan, and detectionPriority for image scan and sbom); BULKHEAD_* variables override it, flags override both.',
            outputWidth(),
          ),
          ...wrapText(
            'The first start with no user creates `admin` and writes its password to <home>/initial-admin-password.',
            outputWidth(),
          ),
        ].join('\n'),
      )
      .action(async (opts: ServeOptions, cmd: Command) => serve(opts, context(cmd)));
  },
};
