import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import type { CliContext } from '../context.js';

interface PolicyOptions {
  policy?: string;
  mode?: string;
  exemptNamespace?: string[];
}

interface ReviewOptions extends PolicyOptions {
  exitCode?: boolean;
}

interface ServeOptions extends PolicyOptions {
  port?: string;
  address?: string;
  tlsCert?: string;
  tlsKey?: string;
  bodyLimit?: string;
  duration?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

async function policyFrom(opts: PolicyOptions) {
  const { loadAdmissionPolicy, parseMode } = await import('../../admission/index.js');
  const mode = parseMode(opts.mode);
  return loadAdmissionPolicy(opts.policy, {
    ...(mode ? { mode } : {}),
    ...(opts.exemptNamespace ? { exemptNamespaces: opts.exemptNamespace } : {}),
  });
}

async function review(file: string | undefined, opts: ReviewOptions, ctx: CliContext): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { UserInputError } = await import('../../core/errors.js');
  const { decide, parseReview, ReviewError } = await import('../../admission/index.js');
  const { reviewReport } = await import('../../admission/report.js');
  const policy = await policyFrom(opts);
  const name = file ?? '-';
  let body: Buffer;
  try {
    body = readFileSync(name === '-' ? 0 : name);
  } catch {
    throw new UserInputError(name, 'cannot read the AdmissionReview');
  }
  let parsed: ReturnType<typeof parseReview>;
  try {
    parsed = parseReview(body);
  } catch (error) {
    if (error instanceof ReviewError) throw new UserInputError(name, error.message);
    throw error;
  }
  const decision = decide(parsed, policy);
  ctx.emit(reviewReport(decision));
  if (opts.exitCode && !decision.allowed) process.exitCode = 1;
}

function positiveInt(_option: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) return Number.NaN;
  return n;
}

async function serve(opts: ServeOptions, ctx: CliContext): Promise<void> {
  const { UserInputError } = await import('../../core/errors.js');
  const { startAdmissionServer, DEFAULT_BODY_LIMIT } = await import('../../admission/index.js');
  if (!opts.tlsCert || !opts.tlsKey)
    throw new UserInputError(
      'admission serve',
      'give --tls-cert and --tls-key (the API server only calls HTTPS)',
    );
  const port = positiveInt('--port', opts.port, 8443, 0);
  if (Number.isNaN(port) || port > 65535)
    throw new UserInputError('--port', `"${opts.port}" is not a port number`);
  const bodyLimit = positiveInt('--body-limit', opts.bodyLimit, DEFAULT_BODY_LIMIT);
  if (Number.isNaN(bodyLimit))
    throw new UserInputError('--body-limit', `"${opts.bodyLimit}" is not a byte count`);
  const duration = positiveInt('--duration', opts.duration, 0);
  if (Number.isNaN(duration))
    throw new UserInputError('--duration', `"${opts.duration}" is not a number of seconds`);
  const policy = await policyFrom(opts);
  let server: Awaited<ReturnType<typeof startAdmissionServer>>;
  try {
    server = await startAdmissionServer({
      policy,
      port,
      address: opts.address ?? '127.0.0.1',
      tlsCert: opts.tlsCert,
      tlsKey: opts.tlsKey,
      bodyLimit,
      // One JSON line per decision (the request's object is not logged).
      onDecision: (d, ms) =>
        process.stdout.write(
          `${JSON.stringify({
            time: new Date().toISOString(),
            uid: d.review.response.uid,
            operation: d.operation,
            ...(d.namespace ? { namespace: d.namespace } : {}),
            allowed: d.allowed,
            dryRun: d.dryRun,
            ...(d.skipped ? { skipped: d.skipped } : {}),
            violations: d.violations.map((v) => ({ control: v.control, action: v.action })),
            ms: Math.round(ms * 1000) / 1000,
          })}\n`,
        ),
      onError: (e) => ctx.notice(`admission serve: ${e.message}`),
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES')
      throw new UserInputError(e.path ?? 'TLS files', 'cannot read the TLS certificate or key');
    if (e.code === 'EADDRINUSE') throw new UserInputError('--port', `port ${port} is in use`);
    if (/PEM|key|certificate/i.test(e.message ?? ''))
      throw new UserInputError('--tls-cert/--tls-key', `not a usable certificate and key: ${e.message}`);
    throw error;
  }
  ctx.notice(`bulkhead admission serve: ready on ${server.url} (mode ${policy.mode})`);
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (duration) timer = setTimeout(done, duration * 1000);
  });
  await server.close();
}

const policyOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--policy <file>',
      'AdmissionPolicy or KubernetesPolicy file (default: PSS baseline + Critical controls; docs/admission.md)',
    )
    .option('--mode <mode>', 'audit|warn|enforce: the ceiling on every action (default enforce)')
    .option(
      '--exempt-namespace <glob>',
      'namespace whose requests are not evaluated; repeatable (default kube-system)',
      collect,
    );

export const admissionCommands: CommandModule = {
  name: 'admission',
  register(program, context) {
    const admission = program
      .command('admission')
      .description('admission control: the posture controls as a validating webhook (audit, warn, enforce)');
    policyOptions(
      admission
        .command('review')
        .description('decide one AdmissionReview offline and print the response (formats: table, json)')
        .argument('[file]', 'AdmissionReview request (JSON); - or nothing for stdin'),
    )
      .option('--exit-code', 'exit 1 when the request is denied')
      .action(async (file: string | undefined, opts: ReviewOptions, cmd: Command) =>
        review(file, opts, context(cmd)),
      );
    policyOptions(
      admission
        .command('serve')
        .description('serve the validating webhook over HTTPS: POST /validate, GET /healthz, GET /readyz'),
    )
      .option('--port <port>', 'HTTPS port (default 8443; 0 = any free port)')
      .option('--address <address>', 'listen address (default 127.0.0.1)')
      .option('--tls-cert <file>', 'PEM certificate (chain) of the webhook')
      .option('--tls-key <file>', 'PEM private key of the webhook')
      .option('--body-limit <bytes>', 'largest request body accepted (default 3145728)')
      .option('--duration <seconds>', 'stop after this many seconds (default: until SIGINT/SIGTERM)')
      .action(async (opts: ServeOptions, cmd: Command) => serve(opts, context(cmd)));
  },
};
