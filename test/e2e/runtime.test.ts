import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

const trace = (name: string) =>
  corpusPath('runtime', 'falco-k8saudit', 'test', 'trace_files', 'k8s_audit', name);

// detect keeps its alerts in the store: a home of the test's own, never the user's
const home = mkdtempSync(join(tmpdir(), 'bulkhead-runtime-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const cli: typeof runBuiltCli = (args, options) => runBuiltCli(['--home', home, ...args], options);

describe('bulkhead runtime (built CLI)', () => {
  it('detect prints RuntimeAlerts JSON for a Falco trace', async () => {
    const run = await cli([
      'runtime',
      'detect',
      '--source',
      'k8s-audit',
      trace('create_nginx_pod_privileged.json'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'RuntimeAlerts', tool: { name: 'bulkhead' } });
    expect(doc.alerts.map((a: { rule: string }) => a.rule)).toEqual(['RT-K8S-08']);
    expect(Object.keys(doc.alerts[0]).sort()).toEqual(
      [
        'count',
        'evidence',
        'firstSeen',
        'lastSeen',
        'resource',
        'rule',
        'severity',
        'source',
        'tactic',
        'technique',
        'title',
      ].sort(),
    );
  });

  it('detect reads stdin, renders SARIF, and gates with --exit-code', async () => {
    const input = readFileSync(trace('exec_pod.json'), 'utf8');
    const run = await cli(
      ['runtime', 'detect', '--source', 'k8s-audit', '-', '--format', 'sarif', '--exit-code'],
      { input },
    );
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['RT-K8S-22']);
  });

  it('detect --source auditd keeps interleaved node= records of several hosts apart (raw and enriched)', async () => {
    // web-1: nginx (pid 100) starts sh (pid 101): a web shell. db-1 reuses pids 100/101 and serials for bash → sh.
    const sys = (node: string, serial: number, pid: number, ppid: number, comm: string, exe: string) =>
      `node=${node} type=SYSCALL msg=audit(1700000000.${100 + serial}:${serial}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=${ppid} pid=${pid} auid=1000 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=5 comm="${comm}" exe="${exe}" key="bulkhead"`;
    const execve = (node: string, serial: number, argv: string[]) =>
      `node=${node} type=EXECVE msg=audit(1700000000.${100 + serial}:${serial}): argc=${argv.length} ${argv.map((a, i) => `a${i}="${a}"`).join(' ')}`;
    const enriched = (line: string) => `${line}\x1dARCH=x86_64 SYSCALL=execve AUID="alice" UID="www-data"`;
    const input = [
      sys('web-1', 10, 100, 1, 'nginx', '/usr/sbin/nginx'),
      enriched(sys('db-1', 10, 100, 1, 'bash', '/usr/bin/bash')),
      execve('db-1', 10, ['bash']),
      execve('web-1', 10, ['nginx', '-g', 'daemon off;']),
      'node=web-1 type=EOE msg=audit(1700000000.110:10): ',
      enriched(sys('db-1', 11, 101, 100, 'sh', '/usr/bin/dash')),
      sys('web-1', 11, 101, 100, 'sh', '/usr/bin/dash'),
      execve('db-1', 11, ['sh', '-c', 'id']),
      execve('web-1', 11, ['sh', '-c', 'id']),
      'node=db-1 type=EOE msg=audit(1700000000.110:10): ',
    ].join('\n');
    const run = await cli(['runtime', 'detect', '--source', 'auditd', '-', '--format', 'json'], { input });
    expect(run.code, run.stderr).toBe(0);
    const alerts = JSON.parse(run.stdout).alerts as {
      rule: string;
      resource: { id: string };
      evidence: Record<string, unknown>;
    }[];
    expect(alerts.map((a) => [a.rule, a.resource.id])).toEqual([['RT-HOST-01', 'web-1']]);
    expect(alerts[0]?.evidence).toMatchObject({ webServer: '/usr/sbin/nginx', webServerPid: 100, pid: 101 });
  });

  it('--min-severity drops rules below it, as Falco priority does', async () => {
    const input = readFileSync(trace('exec_pod.json'), 'utf8'); // fires RT-K8S-22, a Low rule
    const at = (level: string) =>
      cli(['runtime', 'detect', '--source', 'k8s-audit', '-', '--format', 'json', '--min-severity', level], {
        input,
      });
    expect(JSON.parse((await at('low')).stdout).alerts.map((a: { rule: string }) => a.rule)).toEqual([
      'RT-K8S-22',
    ]);
    expect(JSON.parse((await at('High')).stdout).alerts).toEqual([]);
    const rules = JSON.parse(
      (await cli(['runtime', 'rules', '--format', 'json', '--min-severity', 'critical'])).stdout,
    );
    expect(rules.rules.find((r: { id: string }) => r.id === 'RT-K8S-22').enabled).toBe(false);
    const bad = await at('urgent');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-severity: "urgent" is not one of critical, high/);
  });

  it('detect refuses input that is not an audit event with exit 2 and one line naming it', async () => {
    const run = await cli(['runtime', 'detect', '--source', 'k8s-audit', '-'], {
      input: '{"kind":"Deployment"}\n',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').length).toBe(1);
    expect(run.stderr).toMatch(/stdin.*not a Kubernetes audit Event/);
  });

  it('detect stores its alerts (unless --no-store); alerts list shows them and counts what it shows', async () => {
    const detect = (...flags: string[]) =>
      cli([
        'runtime',
        'detect',
        '--source',
        'k8s-audit',
        trace('create_cluster_role_wildcard_verbs.json'),
        ...flags,
      ]);
    const list = async () => JSON.parse((await cli(['alerts', 'list', '--format', 'json'])).stdout).alerts;
    const before = (await list()).length;
    const fired = JSON.parse((await detect('--no-store', '--format', 'json')).stdout).alerts.length;
    expect(fired).toBeGreaterThan(0);
    expect(await list()).toHaveLength(before);
    expect((await detect()).code).toBe(0);
    expect((await detect()).code).toBe(0); // the same events again: the same alerts, not new ones
    expect(await list()).toHaveLength(before + fired);
    const table = await cli(['alerts', 'list']);
    expect(table.stdout).toContain(
      `Stored alerts: ${before + fired} alert${before + fired === 1 ? '' : 's'} shown`,
    );
  });

  it('rules lists the 136 catalogue rows with their sources', async () => {
    const run = await cli(['runtime', 'rules', '--format', 'json']);
    const doc = JSON.parse(run.stdout);
    expect(doc.kind).toBe('RuntimeRules');
    expect(doc.rules.length).toBe(136);
    expect(new Set(doc.rules.map((r: { source: string }) => r.source))).toEqual(
      new Set(['k8s-audit', 'auditd', 'docker-events']),
    );
    expect(
      doc.rules
        .filter((r: { enabled: boolean }) => !r.enabled)
        .map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual(['RT-K8S-31', 'RT-K8S-43']);
  });
});

describe('bulkhead alerts simulate (real auditd, Docker engine and audit webhook)', () => {
  it('raises every scenario alert exactly once through the live pipeline and removes what it created', async () => {
    const run = await runBuiltCli([
      'alerts',
      'simulate',
      '--start-auditd',
      '--label',
      'bulkhead.test=runtime',
      '--format',
      'json',
      '--exit-code',
    ]);
    const doc = JSON.parse(run.stdout);
    const outcomes = Object.fromEntries(
      doc.scenarios.map((s: { scenario: string; alerts: number }) => [s.scenario, s.alerts]),
    );
    expect(outcomes).toEqual({
      'ssh-server': 1,
      'web-shell': 1,
      miner: 1,
      'threat-intel-connection': 1,
      'history-cleared': 1,
      'new-user': 1,
      'workload-test-alert': 1,
      'sensitive-mount': 1,
      'privileged-pod': 1,
      'pod-exec': 1,
      'cluster-admin-binding': 1,
    });
    expect(run.code).toBe(0);
    expect(doc.auditd.started).toBe(true);
    expect(doc.cleanedUp).toEqual({ containers: 8, image: true, auditRules: true });
    const left = execFileSync('docker', ['ps', '-aq', '--filter', 'label=bulkhead.test=runtime'], {
      encoding: 'utf8',
    });
    expect(left.trim()).toBe('');
    expect(execFileSync('auditctl', ['-l'], { encoding: 'utf8' })).not.toMatch(/bulkhead/);
  }, 120_000);
});

describe('bulkhead runtime serve (built CLI)', () => {
  it('receives audit events on the webhook and follows an audit log, printing alerts as JSON lines', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, writeFileSync, appendFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { CLI } = await import('./cli-support.js');
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-serve-'));
    const token = join(dir, 'token');
    writeFileSync(token, 'test-token\n');
    const log = join(dir, 'audit.log');
    writeFileSync(log, '');
    const { createServer } = await import('node:http');
    const posted: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        posted.push(JSON.parse(body).rule);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/alerts`;
    const child = spawn(
      process.execPath,
      [
        CLI,
        'runtime',
        'serve',
        '--webhook-port',
        '0',
        '--token-file',
        token,
        '--k8s-audit-log',
        log,
        '--alert-webhook',
        hook,
        '--duration',
        '20',
      ],
      {
        env: { ...process.env, NO_COLOR: '1', BULKHEAD_HOME: dir, BULKHEAD_DATABASE_URL: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    try {
      for (let i = 0; i < 100 && !/audit webhook (\S+)\)/.test(stderr); i++)
        await new Promise((r) => setTimeout(r, 100));
      const url = /audit webhook (\S+)\)/.exec(stderr)![1]!;
      const items = readFileSync(trace('create_nginx_pod_privileged.json'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const denied = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ kind: 'EventList', items }),
        headers: { 'content-type': 'application/json' },
      });
      expect(denied.status).toBe(401);
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }),
        headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
      });
      expect(res.status).toBe(200);
      appendFileSync(log, readFileSync(trace('create_nginx_service_nodeport.json'), 'utf8'));
      for (let i = 0; i < 100 && !(stdout.includes('RT-K8S-08') && stdout.includes('RT-K8S-07')); i++)
        await new Promise((r) => setTimeout(r, 100));
      const rules = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).rule);
      expect(rules.sort()).toEqual(['RT-K8S-07', 'RT-K8S-08', 'RT-K8S-A03']);
      for (let i = 0; i < 50 && posted.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      expect(posted.sort()).toEqual(['RT-K8S-07', 'RT-K8S-08', 'RT-K8S-A03']);
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
      const stored = await runBuiltCli(['alerts', 'list', '--format', 'json'], {
        env: { BULKHEAD_HOME: dir, BULKHEAD_DATABASE_URL: '' },
      });
      expect(
        JSON.parse(stored.stdout)
          .alerts.map((a: { rule: string }) => a.rule)
          .sort(),
      ).toEqual(['RT-K8S-07', 'RT-K8S-08', 'RT-K8S-A03']);
    } finally {
      child.kill('SIGTERM');
      receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
