import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Alert } from '../../core/results.js';
import { webhookCertificates } from '../../tls/certificates.js';
import { ThreatIntel } from '../intel.js';
import { defaultRuleSet } from '../rule-set.js';
import { startServe } from '../serve.js';
import { dockerOk } from './docker-api.js';
import { simulationRootfs } from './image.js';
import {
  HOST_SCENARIOS,
  type HostScenario,
  K8S_SCENARIOS,
  type K8sScenario,
  SIM_INTEL_ADDRESS,
} from './scenarios.js';

/** The audit rule file Bulkhead documents (docs/runtime.md); simulate loads it with auditctl. */
export const AUDIT_RULES_FILE = fileURLToPath(new URL('../data/bulkhead.rules', import.meta.url));

export interface SimulateOptions {
  scenarios?: string[];
  /** auditd's log file that `runtime serve` follows. */
  auditLog?: string;
  /** Start a private auditd writing to a temporary directory (and stop it afterwards). */
  startAuditd?: boolean;
  dockerSocket?: string;
  /** Labels put on every container and image created (`key=value`). */
  labels?: Record<string, string>;
  /** How long to wait for the alerts (ms). */
  timeoutMs?: number;
  progress?: (message: string) => void;
}

export interface ScenarioOutcome {
  scenario: string;
  rule: string;
  description: string;
  /** Alerts raised for the scenario's rule on the scenario's resource (1 = fired exactly once). */
  alerts: number;
  /** Matching events folded into those alerts. */
  count: number;
  fired: boolean;
}

export interface SimulationResult {
  outcomes: ScenarioOutcome[];
  cleanedUp: { containers: number; image: boolean; auditRules: boolean };
  auditd: { log: string; started: boolean };
  events: number;
  alerts: Alert[];
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function auditStatus(): { enabled: number; pid: number; backlog: number } {
  const text = run('auditctl', ['-s']);
  return {
    enabled: Number(/enabled (\d+)/.exec(text)?.[1] ?? 0),
    pid: Number(/pid (\d+)/.exec(text)?.[1] ?? 0),
    backlog: Number(/backlog_limit (\d+)/.exec(text)?.[1] ?? 0),
  };
}

async function startPrivateAuditd(dir: string): Promise<{ child: ChildProcess; log: string }> {
  const log = join(dir, 'audit.log');
  const conf = readFileSync('/etc/audit/auditd.conf', 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(log_file|log_format|flush|freq)\s*=/.test(l))
    .concat([`log_file = ${log}`, 'log_format = ENRICHED', 'flush = INCREMENTAL_ASYNC', 'freq = 20'])
    .join('\n');
  writeFileSync(join(dir, 'auditd.conf'), `${conf}\n`, { mode: 0o640 });
  const child = spawn('auditd', ['-n', '-c', dir], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (existsSync(log) && auditStatus().pid === child.pid) return { child, log };
    if (child.exitCode !== null) break;
  }
  child.kill('SIGTERM');
  throw new Error(
    `auditd did not start (exit ${child.exitCode}); is another audit daemon running (auditctl -s)?`,
  );
}

/** The webhook's TLS files for 127.0.0.1: a private CA and a server certificate, made in process. */
function webhookTls(dir: string): { cert: string; key: string; ca: string } {
  const made = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'], days: 1 });
  const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'ca.crt') };
  writeFileSync(files.cert, made.cert);
  writeFileSync(files.key, made.key, { mode: 0o600 });
  writeFileSync(files.ca, made.caCert);
  return files;
}

/**
 * `alerts simulate`: real activity on this host, seen by a live `runtime serve` pipeline — containers started
 * through the Engine API (auditd + Docker events) and audit events POSTed to the webhook receiver over HTTPS —
 * then a report of which scenario's alert fired, and how often. Everything created is labelled and removed.
 */
export async function simulate(options: SimulateOptions = {}): Promise<SimulationResult> {
  const wanted = new Set(options.scenarios ?? []);
  const host = HOST_SCENARIOS.filter((s) => (wanted.size === 0 && !s.optIn) || wanted.has(s.name));
  const kube = K8S_SCENARIOS.filter((s) => wanted.size === 0 || wanted.has(s.name));
  const socket = options.dockerSocket ?? '/var/run/docker.sock';
  const labels = { 'bulkhead.simulation': 'true', ...(options.labels ?? {}) };
  const say = options.progress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-simulate-'));
  const runId = randomBytes(4).toString('hex');
  const image = `bulkhead-simulate/busybox:${runId}`;
  const containers: { id: string; scenario: HostScenario }[] = [];
  const cleanedUp = { containers: 0, image: false, auditRules: false };
  let auditd: ChildProcess | undefined;
  let auditLog = options.auditLog ?? '/var/log/audit/audit.log';
  const needsAuditd = host.some((s) => s.rule.startsWith('RT-HOST'));
  let previousEnabled: number | undefined;
  let previousBacklog: number | undefined;
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  const raised: Alert[] = [];
  try {
    // 1. auditd with Bulkhead's rule file
    if (needsAuditd) {
      const status = auditStatus();
      previousEnabled = status.enabled;
      previousBacklog = status.backlog;
      if (options.startAuditd) {
        if (status.pid !== 0)
          throw new Error(
            `an audit daemon already runs (pid ${status.pid}); use --audit-log with its log file`,
          );
        const started = await startPrivateAuditd(dir);
        auditd = started.child;
        auditLog = started.log;
      } else if (status.pid === 0)
        throw new Error(
          'no audit daemon runs (auditctl -s shows pid 0): start auditd or pass --start-auditd',
        );
      if (status.enabled === 0) run('auditctl', ['-e', '1']);
      // watches on paths this host lacks (kubelet, cron dirs…) would stop auditctl: load the others
      const rules = readFileSync(AUDIT_RULES_FILE, 'utf8')
        .split('\n')
        .filter((l) => {
          const w = /^-w\s+(\S+)/.exec(l);
          return !w || existsSync(w[1]!);
        });
      const loadable = join(dir, 'bulkhead.rules');
      writeFileSync(loadable, `${rules.join('\n')}\n`);
      run('auditctl', ['-R', loadable]);
      say(`audit rules loaded from ${AUDIT_RULES_FILE}; following ${auditLog}`);
    }
    // 2. the live pipeline, as `runtime serve` runs it
    const feed = join(dir, 'threat-intel.txt');
    writeFileSync(feed, `# feed: bulkhead-simulation category: malicious\n${SIM_INTEL_ADDRESS}\n`);
    const intel = new ThreatIntel();
    intel.loadFile(feed);
    const token = randomBytes(16).toString('hex');
    const tls = kube.length > 0 ? webhookTls(dir) : undefined;
    serve = await startServe(defaultRuleSet(intel), {
      ...(needsAuditd ? { auditdLogs: [auditLog] } : {}),
      dockerSocket: socket,
      ...(tls
        ? { webhook: { port: 0, token, tlsCert: tls.cert, tlsKey: tls.key, cluster: 'simulation' } }
        : {}),
      onAlert: (a, update) => {
        if (!update) raised.push(a);
      },
    });
    await new Promise((r) => setTimeout(r, 500)); // the event stream is connected
    // 3. host scenarios: one labelled container each
    if (host.length > 0) {
      const rootfs = await simulationRootfs();
      const changes = Object.entries(labels)
        .map(([k, v]) => `changes=${encodeURIComponent(`LABEL ${k}=${v}`)}`)
        .join('&');
      const [repo, tag] = image.split(':');
      await dockerOk(
        'POST',
        `/images/create?fromSrc=-&repo=${encodeURIComponent(repo!)}&tag=${tag}&${changes}`,
        rootfs,
        socket,
        'application/x-tar',
      );
      say(`image ${image} imported`);
      for (const scenario of host) {
        const created = await dockerOk(
          'POST',
          `/containers/create?name=bulkhead-sim-${scenario.name}-${runId}`,
          {
            Image: image,
            Cmd: ['/bin/sh', '-c', scenario.script],
            Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
            Labels: labels,
            HostConfig: {
              NetworkMode: 'none',
              Privileged: scenario.privileged === true,
              ...(scenario.binds ? { Binds: scenario.binds } : {}),
            },
          },
          socket,
        );
        containers.push({ id: created.Id, scenario });
        await dockerOk('POST', `/containers/${created.Id}/start`, undefined, socket);
        say(`scenario ${scenario.name}: container ${String(created.Id).slice(0, 12)} started`);
      }
      await Promise.all(
        containers.map((c) => dockerOk('POST', `/containers/${c.id}/wait`, undefined, socket)),
      );
    }
    // 4. Kubernetes scenarios: audit events to the webhook receiver over HTTPS with the bearer token
    if (kube.length > 0 && serve.webhookUrl && tls) {
      const dispatcher = new Agent({ connect: { ca: readFileSync(tls.ca) } });
      for (const scenario of kube) {
        const res = await undiciFetch(serve.webhookUrl, {
          method: 'POST',
          dispatcher,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'EventList',
            apiVersion: 'audit.k8s.io/v1',
            items: scenario.events(runId),
          }),
        });
        if (res.status !== 200) throw new Error(`audit webhook answered ${res.status} for ${scenario.name}`);
        say(`scenario ${scenario.name}: audit events posted`);
      }
      await dispatcher.close();
    }
    // 5. wait for every scenario's alert (then a little longer, so that duplicates would show)
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    const outcomes = () => [
      ...host.map((s) => outcome(s, raised, containers.find((c) => c.scenario === s)?.id)),
      ...kube.map((s) => outcome(s, raised)),
    ];
    while (Date.now() < deadline && outcomes().some((o) => !o.fired))
      await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1500));
    const final = outcomes();
    return {
      outcomes: final,
      cleanedUp,
      auditd: { log: auditLog, started: auditd !== undefined },
      events: serve.engine.stats.events,
      alerts: [...raised],
    };
  } finally {
    await serve?.stop();
    for (const c of containers) {
      await dockerOk('DELETE', `/containers/${c.id}?force=1&v=1`, undefined, socket).then(
        () => (cleanedUp.containers += 1),
        () => {},
      );
    }
    if (host.length > 0)
      await dockerOk('DELETE', `/images/${encodeURIComponent(image)}?force=1`, undefined, socket).then(
        () => (cleanedUp.image = true),
        () => {},
      );
    if (needsAuditd) {
      try {
        run('auditctl', ['-D', '-k', 'bulkhead']);
        cleanedUp.auditRules = true;
        if (previousEnabled === 0) run('auditctl', ['-e', '0']);
        if (previousBacklog) run('auditctl', ['-b', String(previousBacklog)]);
      } catch (error) {
        say(`audit cleanup: ${(error as Error).message}`);
      }
    }
    if (auditd) {
      auditd.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function outcome(s: HostScenario | K8sScenario, alerts: Alert[], container?: string): ScenarioOutcome {
  const mine = alerts.filter((a) => {
    if (a.rule !== s.rule) return false;
    if (!container)
      return a.source === 'k8s-audit'
        ? JSON.stringify(a.evidence).includes('bulkhead-sim') || a.resource.id.includes('sim')
        : true;
    return a.resource.id === container || JSON.stringify(a.resource).includes(container);
  });
  return {
    scenario: s.name,
    rule: s.rule,
    description: s.description,
    alerts: mine.length,
    count: mine.reduce((n, a) => n + a.count, 0),
    fired: mine.length > 0,
  };
}
