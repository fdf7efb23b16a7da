import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

const trace = (name: string) =>
  corpusPath('runtime', 'falco-k8saudit', 'test', 'trace_files', 'k8s_audit', name);

describe('bulkhead runtime (built CLI)', () => {
  it('detect prints RuntimeAlerts JSON for a Falco trace', async () => {
    const run = await runBuiltCli([
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
    const run = await runBuiltCli(
      ['runtime', 'detect', '--source', 'k8s-audit', '-', '--format', 'sarif', '--exit-code'],
      { input },
    );
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['RT-K8S-22']);
  });

  it('detect refuses input that is not an audit event with exit 2 and one line naming it', async () => {
    const run = await runBuiltCli(['runtime', 'detect', '--source', 'k8s-audit', '-'], {
      input: '{"kind":"Deployment"}\n',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').length).toBe(1);
    expect(run.stderr).toMatch(/stdin.*not a Kubernetes audit Event/);
  });

  it('rules lists the 136 catalogue rows with their sources', async () => {
    const run = await runBuiltCli(['runtime', 'rules', '--format', 'json']);
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
