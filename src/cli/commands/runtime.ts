import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserInputError } from '../../core/errors.js';
import type { Alert } from '../../core/results.js';
import { type Json, SOURCE_NAMES } from '../../runtime/event.js';
import type { ActiveRuleSet } from '../../runtime/rule-set.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';
import { pushDocuments, pushTargetOf, withPushOptions } from '../push.js';
import { untilStopped } from '../until-stopped.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The rule set after --rules files and --threat-intel feeds. */
async function ruleSetFrom(opts: {
  rules?: string[];
  threatIntel?: string[];
  minSeverity?: string;
}): Promise<ActiveRuleSet> {
  const [{ ThreatIntel }, { defaultRuleSet, loadRuleFile, RULE_SEVERITIES, withMinimumSeverity }] =
    await Promise.all([import('../../runtime/intel.js'), import('../../runtime/rule-set.js')]);
  const minimum = opts.minSeverity
    ? RULE_SEVERITIES.find((s) => s.toLowerCase() === opts.minSeverity!.toLowerCase())
    : undefined;
  if (opts.minSeverity && !minimum)
    throw new UserInputError(
      '--min-severity',
      `"${opts.minSeverity}" is not one of ${RULE_SEVERITIES.join(', ').toLowerCase()}`,
    );
  const intel = new ThreatIntel();
  for (const feed of opts.threatIntel ?? []) intel.loadPath(feed);
  let set = defaultRuleSet(intel);
  for (const file of opts.rules ?? []) set = loadRuleFile(set, file);
  return minimum ? withMinimumSeverity(set, minimum) : set;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UserInputError(flag, `"${value}" is not a whole number`);
  return n;
}

async function detect(ctx: CliContext, files: string[], opts: Record<string, Json>) {
  const [{ SOURCES, sourceByName }, { fileInput, replay }, { alertsReport }] = await Promise.all([
    import('../../runtime/sources/index.js'),
    import('../../runtime/replay.js'),
    import('../../runtime/report.js'),
  ]);
  const push = pushTargetOf(opts);
  if (push && !opts.hostName && !opts.clusterName)
    throw new UserInputError(
      '--host-name',
      'give --host-name or --cluster-name: the center files alerts under them',
    );
  const source = sourceByName(opts.source);
  if (!source)
    throw new UserInputError(
      '--source',
      `unknown source "${opts.source}" (use ${SOURCES.map((s) => s.name).join(', ')})`,
    );
  const set = await ruleSetFrom(opts);
  const inputs =
    files.length === 0 || (files.length === 1 && files[0] === '-')
      ? [{ label: 'stdin', stream: () => process.stdin }]
      : files.map(fileInput);
  const result = await replay(source, inputs, set, {
    windowMs: positiveInt('--window', opts.window, 600) * 1000,
    noiseBudget: positiveInt('--noise-budget', opts.noiseBudget, 50),
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
  });
  const origin = {
    ...(opts.hostName ? { host: opts.hostName as string } : {}),
    ...(opts.clusterName ? { cluster: opts.clusterName as string } : {}),
  };
  const report = alertsReport(result.alerts, source.name, result, origin);
  // like `runtime serve`, what was detected is kept (upserts by key: replaying the same events twice stores nothing new)
  if (opts.store !== false && result.alerts.length > 0) {
    const { saveAlerts } = await import('../../store/alerts.js');
    await ctx.withStore((store) =>
      store.db.transaction().execute((tx) =>
        saveAlerts(
          tx,
          result.alerts.map((alert) => ({ alert })),
        ),
      ),
    );
  }
  ctx.emit(report);
  if (push) await pushDocuments(ctx, push, [report.document]);
  if (opts.exitCode && result.alerts.length > 0) ctx.exit(1);
}

async function serve(ctx: CliContext, opts: Record<string, Json>) {
  const [{ startServe }, { alertKey, saveAlerts }] = await Promise.all([
    import('../../runtime/serve.js'),
    import('../../store/alerts.js'),
  ]);
  // decided before anything is read: one TLS flag without the other never falls back to plain HTTP
  const { tlsFiles } = await import('../../net/tls-profile.js');
  const tls = tlsFiles(opts.tlsCert as string | undefined, opts.tlsKey as string | undefined);
  const headersTimeoutMs = positiveInt('--header-timeout', opts.headerTimeout, 10_000);
  const set = await ruleSetFrom(opts);
  const token = opts.tokenFile
    ? readFileSync(opts.tokenFile, 'utf8').trim()
    : process.env.BULKHEAD_AUDIT_TOKEN;
  const port =
    opts.webhookPort === undefined ? undefined : positiveInt('--webhook-port', opts.webhookPort, 0);
  if (port !== undefined && !token && !opts.clientCa)
    throw new UserInputError(
      '--webhook-port',
      'the audit webhook needs --token-file (or BULKHEAD_AUDIT_TOKEN) or --client-ca',
    );
  if (port !== undefined && !tls && opts.address && opts.address !== '127.0.0.1')
    throw new UserInputError(
      '--address',
      'serving plain HTTP beyond loopback is refused: give --tls-cert and --tls-key',
    );
  const store = opts.store === false ? undefined : await ctx.openStore();
  const pending = new Map<string, Alert>();
  const flush = async () => {
    if (!store || pending.size === 0) return;
    const batch = [...pending.values()].map((alert) => ({ alert }));
    pending.clear();
    await saveAlerts(store.db, batch);
  };
  const timer = setInterval(
    () => void flush().catch((e) => ctx.notice(`store: ${(e as Error).message}`)),
    500,
  );
  const post = (alert: Alert) => {
    if (!opts.alertWebhook) return;
    void fetch(opts.alertWebhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    }).catch((e) => ctx.notice(`alert webhook: ${(e as Error).message}`));
  };
  let running: Awaited<ReturnType<typeof startServe>>;
  try {
    running = await startServe(set, {
      windowMs: positiveInt('--window', opts.window, 600) * 1000,
      noiseBudget: positiveInt('--noise-budget', opts.noiseBudget, 50),
      queueLimit: positiveInt('--queue-limit', opts.queueLimit, 10_000),
      ...(port !== undefined
        ? {
            webhook: {
              port,
              address: opts.address ?? '127.0.0.1',
              ...(token ? { token } : {}),
              ...(tls ? { tlsCert: tls.cert, tlsKey: tls.key } : {}),
              limits: { headersTimeoutMs },
              ...(opts.clientCa ? { clientCa: opts.clientCa } : {}),
              ...(opts.cluster ? { cluster: opts.cluster } : {}),
            },
          }
        : {}),
      k8sAuditLogs: opts.k8sAuditLog ?? [],
      auditdLogs: opts.auditLog ?? [],
      ...(opts.docker ? { dockerSocket: opts.dockerSocket ?? '/var/run/docker.sock' } : {}),
      fromStart: opts.fromStart === true,
      onAlert: (alert, update) => {
        pending.set(alertKey(alert), alert);
        if (!update) {
          process.stdout.write(`${JSON.stringify(alert)}\n`);
          post(alert);
        }
      },
      onError: (e) => ctx.notice(`runtime serve: ${e.message}`),
    });
  } catch (error) {
    // a refused listen address must end the command, not leave the flush timer holding the process
    clearInterval(timer);
    await store?.close();
    throw error;
  }
  ctx.notice(
    `bulkhead runtime serve: ready${running.webhookUrl ? ` (audit webhook ${running.webhookUrl})` : ''}`,
  );
  await untilStopped(opts.duration ? positiveInt('--duration', opts.duration, 0) : undefined);
  await running.stop();
  clearInterval(timer);
  await flush();
  await store?.close();
  const s = running.engine.stats;
  ctx.notice(`bulkhead runtime serve: ${s.events} events, ${s.alerts} alerts, ${s.dropped} dropped`);
}

export const runtimeCommands: CommandModule = {
  name: 'runtime',
  register(program, context) {
    const runtime = program
      .command('runtime')
      .description('run-time threat detection over audit logs, auditd and Docker events');
    const ruleOptions = (cmd: Command) =>
      cmd
        .option(
          '--rules <file>',
          'user rule file (YAML): add rules, override severity, disable, exceptions; repeatable',
          collect,
        )
        .option(
          '--threat-intel <path>',
          'threat-intel feed (IP/CIDR/domain list or STIX 2.1 bundle), or a directory of feeds; repeatable',
          collect,
        )
        .option(
          '--min-severity <level>',
          "drop rules below this severity (critical, high, medium, low, info, debug), as Falco's priority does",
        )
        .option('--window <seconds>', 'de-duplication window', '600')
        .option('--noise-budget <n>', 'alerts per rule and window before aggregating', '50')
        .option('--cluster <name>', 'cluster name for Kubernetes resources');
    const detectCommand = ruleOptions(
      runtime
        .command('detect')
        .description('replay recorded events (files or - for stdin) and print the alerts')
        .argument('[files...]', 'input files; - or none reads stdin')
        .requiredOption('--source <source>', `event source: ${SOURCE_NAMES.join(', ')}`)
        .option('--exit-code', 'exit 1 when any alert was raised')
        .option('--no-store', 'do not keep the alerts in the store (alerts list shows kept ones)')
        .option('--host-name <name>', 'the host the events come from (origin.host of the document)')
        .option('--cluster-name <name>', 'the cluster the events come from (origin.cluster of the document)'),
    );
    withPushOptions(detectCommand).action(async (files: string[], opts, cmd: Command) =>
      detect(context(cmd), files, opts),
    );
    ruleOptions(
      runtime
        .command('serve')
        .description(
          'live detection: audit webhook receiver, followed audit logs, auditd, Docker events; alerts as JSON lines',
        )
        .option('--webhook-port <port>', 'serve the Kubernetes audit webhook (POST /k8s-audit) on this port')
        .option('--address <ip>', 'address to listen on', '127.0.0.1')
        .option('--tls-cert <file>', 'TLS certificate for the audit webhook')
        .option('--tls-key <file>', 'TLS key for the audit webhook')
        .option('--client-ca <file>', 'accept client certificates signed by this CA')
        .option(
          '--header-timeout <ms>',
          'close a connection whose request head has not arrived within this time (default 10000)',
        )
        .option('--token-file <file>', 'bearer token the API server sends (default $BULKHEAD_AUDIT_TOKEN)')
        .option(
          '--k8s-audit-log <file>',
          'follow a Kubernetes audit log file (rotation-safe); repeatable',
          collect,
        )
        .option(
          '--audit-log <file>',
          "follow auditd's audit.log (e.g. /var/log/audit/audit.log); repeatable",
          collect,
        )
        .option('--docker', 'follow Docker Engine events')
        .option('--docker-socket <path>', 'Docker socket', '/var/run/docker.sock')
        .option('--from-start', 'read followed files from their beginning')
        .option('--queue-limit <n>', 'events waiting for evaluation before new ones are dropped', '10000')
        .option('--alert-webhook <url>', 'POST every new alert as JSON to this URL')
        .option('--no-store', 'do not save alerts in the store')
        .option('--duration <seconds>', 'stop after this long (default: until SIGINT/SIGTERM)'),
    ).action(async (opts, cmd: Command) => serve(context(cmd), opts));
    ruleOptions(
      runtime.command('rules').description('list the rules, their sources and whether they are on'),
    ).action(async (opts, cmd: Command) => {
      const { rulesReport } = await import('../../runtime/report.js');
      context(cmd).emit(rulesReport(await ruleSetFrom(opts)));
    });
  },
};
