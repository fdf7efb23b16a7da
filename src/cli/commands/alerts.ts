import type { Command } from 'commander';
import { envelope } from '../../core/envelope.js';
import { UserInputError } from '../../core/errors.js';
import type { Json } from '../../runtime/event.js';
import { SCENARIO_NAMES } from '../../runtime/simulate/scenarios.js';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function runSimulation(ctx: CliContext, opts: Record<string, Json>) {
  for (const s of opts.scenario ?? [])
    if (!SCENARIO_NAMES.includes(s))
      throw new UserInputError('--scenario', `unknown scenario "${s}" (use ${SCENARIO_NAMES.join(', ')})`);
  const labels: Record<string, string> = {};
  for (const l of opts.label ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new UserInputError('--label', `"${l}" is not KEY=VALUE`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const timeout = Number(opts.timeout ?? 30);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UserInputError('--timeout', `"${opts.timeout}" is not a number of seconds`);
  const { simulate } = await import('../../runtime/simulate/run.js');
  const result = await simulate({
    ...(opts.scenario ? { scenarios: opts.scenario } : {}),
    ...(opts.auditLog ? { auditLog: opts.auditLog } : {}),
    startAuditd: opts.startAuditd === true,
    dockerSocket: opts.dockerSocket,
    labels,
    timeoutMs: timeout * 1000,
    progress: (m) => ctx.notice(m),
  });
  const doc = envelope('AlertSimulation', {
    scenarios: result.outcomes,
    fired: result.outcomes.filter((o) => o.fired).length,
    exactlyOnce: result.outcomes.filter((o) => o.alerts === 1).length,
    total: result.outcomes.length,
    events: result.events,
    auditd: result.auditd,
    cleanedUp: result.cleanedUp,
    alerts: result.alerts,
  });
  ctx.emit({
    document: doc,
    table: () => ({
      title: `Alert simulation: ${doc.fired} of ${doc.total} scenarios fired (${doc.exactlyOnce} exactly once), ${result.events} events seen`,
      columns: [
        { key: 'scenario', header: 'SCENARIO' },
        { key: 'rule', header: 'RULE' },
        { key: 'result', header: 'RESULT' },
        { key: 'alerts', header: 'ALERTS', align: 'right' },
        { key: 'count', header: 'EVENTS', align: 'right' },
        { key: 'description', header: 'ACTIVITY', maxWidth: 60 },
      ],
      sections: [
        {
          rows: result.outcomes.map((o) => ({
            scenario: o.scenario,
            rule: o.rule,
            alerts: o.alerts,
            count: o.count,
            description: o.description,
            result: o.fired ? 'fired' : 'NOT FIRED',
          })),
        },
      ],
      footer: [
        `removed: ${result.cleanedUp.containers} containers, image ${result.cleanedUp.image ? 'yes' : 'no'}, audit rules ${result.cleanedUp.auditRules ? 'yes' : 'no'}`,
      ],
    }),
  });
  if (opts.exitCode && result.outcomes.some((o) => o.alerts !== 1)) ctx.exit(1);
}

export const alertsCommands: CommandModule = {
  name: 'alerts',
  register(program, context) {
    const alerts = program
      .command('alerts')
      .description('run-time alerts: stored alerts and end-to-end simulation');
    alerts
      .command('simulate')
      .description(
        'produce real activity on this host (containers, auditd, audit webhook) and report which alerts fired',
      )
      .option(
        '--scenario <name>',
        `scenario to run (default all): ${SCENARIO_NAMES.join(', ')}; repeatable`,
        collect,
      )
      .option('--audit-log <file>', "auditd's log file to follow", '/var/log/audit/audit.log')
      .option('--start-auditd', 'start a private auditd for the run (when none runs) and stop it afterwards')
      .option('--docker-socket <path>', 'Docker socket', '/var/run/docker.sock')
      .option('--label <key=value>', 'extra label on every container and image created; repeatable', collect)
      .option('--timeout <seconds>', 'how long to wait for the alerts', '30')
      .option('--exit-code', 'exit 1 unless every scenario fired exactly once')
      .action(async (opts, cmd: Command) => runSimulation(context(cmd), opts));
    alerts
      .command('list')
      .description('alerts kept in the store (from runtime serve)')
      .option('--rule <id>', 'only this rule')
      .option('--since <iso-time>', 'only alerts seen since')
      .option('--limit <n>', 'at most this many', '200')
      .action(async (opts, cmd: Command) => {
        const ctx = context(cmd);
        const [{ listAlerts }, { alertsReport }] = await Promise.all([
          import('../../store/alerts.js'),
          import('../../runtime/report.js'),
        ]);
        const list = await ctx.withStore((s) =>
          listAlerts(s.db, {
            ...(opts.rule ? { rule: opts.rule } : {}),
            ...(opts.since ? { since: opts.since } : {}),
            limit: Number(opts.limit),
          }),
        );
        ctx.emit(alertsReport(list, 'store', { events: 0, skipped: 0 }));
      });
  },
};
