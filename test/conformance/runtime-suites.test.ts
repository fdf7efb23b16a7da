import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { crowdsecSuite } from './suites/crowdsec.js';
import { falcoK8sAuditSuite } from './suites/falco-k8saudit.js';
import { auditLines, parseIni, wazuhSuite } from './suites/wazuh.js';
import { closingLine, runSuite } from './summarize.js';

const failures = (cases: { verdict: string; id: string; detail?: string }[]) =>
  cases
    .filter((c) => c.verdict === 'failed')
    .map((c) => `${c.id}: ${c.detail}`)
    .join('\n');

describe('run-time peer suites on the corpus', () => {
  it('crowdsec: every hub test agrees', async () => {
    const s = await runSuite(crowdsecSuite, corpusPath(crowdsecSuite.defaultDir));
    expect(s.passed, closingLine(s)).toBeGreaterThanOrEqual(5);
    expect(s.failed, failures(s.cases)).toBe(0);
  });

  it('falco-k8saudit: every catalogue-ruleset case agrees', async () => {
    const s = await runSuite(falcoK8sAuditSuite, corpusPath(falcoK8sAuditSuite.defaultDir));
    expect(s.passed, closingLine(s)).toBeGreaterThanOrEqual(40);
    expect(s.failed, failures(s.cases)).toBe(0);
    // the only cases left out are the upstream suite's own test rules
    for (const c of s.cases.filter((x) => x.verdict === 'not-implemented'))
      expect(c.detail).toMatch(/not a catalogue row/);
  });

  it('wazuh: every auditd and Docker line parses and every rule id is mapped', async () => {
    const dir = corpusPath(wazuhSuite.defaultDir);
    const s = await runSuite(wazuhSuite, dir);
    const lines = parseIni(
      readFileSync(join(dir, 'ruleset', 'testing', 'tests', 'audit_scp.ini'), 'utf8'),
    ).flatMap((x) => x.logs);
    expect(s.cases.filter((c) => c.id.includes('audit_scp.ini'))).toHaveLength(lines.length);
    const unparsed = s.cases.filter((c) =>
      /no event|no catalogue mapping|not one this runner/.test(c.detail ?? ''),
    );
    expect(unparsed).toEqual([]);
    expect(s.passed / (s.passed + s.failed), failures(s.cases)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('run-time suites read the peer layouts from any directory', () => {
  it('crowdsec: a test naming a scenario the mapping does not know fails with that reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-crowdsec-'));
    const test = join(dir, '.tests', 'auditd-unknown');
    mkdirSync(test, { recursive: true });
    const source = corpusPath(crowdsecSuite.defaultDir, '.tests', 'auditd-postexploit-rm');
    copyFileSync(join(source, 'auditd-postexploit-rm.log'), join(test, 'auditd-unknown.log'));
    writeFileSync(
      join(test, 'config.yaml'),
      'scenarios:\n- ./scenarios/crowdsecurity/auditd-made-up.yaml\nlog_file: auditd-unknown.log\nlog_type: auditd\n',
    );
    writeFileSync(join(test, 'scenario.assert'), 'len(results) == 1\n');
    const s = await runSuite(crowdsecSuite, dir);
    expect(s.cases).toEqual([
      {
        id: 'auditd-unknown',
        verdict: 'failed',
        detail: 'CrowdSec scenario crowdsecurity/auditd-made-up is not in the mapping',
      },
    ]);
  });

  it('crowdsec: the alert count comes from scenario.assert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-crowdsec-'));
    const test = join(dir, '.tests', 'rm-twice');
    mkdirSync(test, { recursive: true });
    const source = corpusPath(crowdsecSuite.defaultDir, '.tests', 'auditd-postexploit-rm');
    copyFileSync(join(source, 'auditd-postexploit-rm.log'), join(test, 'rm-twice.log'));
    copyFileSync(join(source, 'config.yaml'), join(test, 'config.yaml'));
    writeFileSync(
      join(test, 'config.yaml'),
      readFileSync(join(test, 'config.yaml'), 'utf8').replace(/log_file: .*/, 'log_file: rm-twice.log'),
    );
    writeFileSync(join(test, 'scenario.assert'), 'len(results) == 2\n');
    const s = await runSuite(crowdsecSuite, dir);
    expect(s.failed).toBe(1);
    expect(s.cases[0]?.detail).toMatch(/expects 2 alert\(s\); RT-HOST-57 raised 1/);
  });

  it('falco-k8saudit: an expected Falco rule outside the catalogue fails loudly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-falco-'));
    const trace = 'create_nginx_pod_privileged.json';
    copyFileSync(
      corpusPath(falcoK8sAuditSuite.defaultDir, 'test', 'trace_files', 'k8s_audit', trace),
      join(dir, trace),
    );
    const cases = [
      { case: 'made_up', ruleset: 'current', overrides: [], detect: true, counts: { 'No Such Rule': 1 } },
      {
        case: 'priv',
        ruleset: 'current',
        overrides: [],
        detect: true,
        counts: { 'Create Privileged Pod': 1 },
      },
      { case: 'override', ruleset: 'current', overrides: ['made_up_override'], detect: false, counts: {} },
    ];
    writeFileSync(join(dir, 'labels.json'), JSON.stringify({ files: { [trace]: { cases } } }));
    const s = await runSuite(falcoK8sAuditSuite, dir);
    expect(s.cases.map((c) => [c.verdict, c.detail])).toEqual([
      ['failed', 'Falco rule No Such Rule has no catalogue row'],
      ['passed', undefined],
      ['failed', 'test override "made_up_override" is not one this runner knows'],
    ]);
  });

  it('wazuh: an unknown rule id fails loudly; a node= prefix and enriched fields survive the one-line form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-wazuh-'));
    const event =
      'node=web-1 type=SYSCALL msg=audit(1479982525.380:50): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=432 pid=3333 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=2 comm="x" exe="/dev/shm/x" key=(null)\\u001DARCH=x86_64 SYSCALL=execve type=EXECVE msg=audit(1479982525.380:50): argc=1 a0="/dev/shm/x"';
    // node= is written once, before the first record: every record gets it back
    const lines = auditLines(event).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^node=web-1 type=(SYSCALL|EXECVE) /);
    expect(lines[0]).toContain('\x1dARCH=x86_64');
    writeFileSync(
      join(dir, 'mine.ini'),
      `[Made up]\nlog 1 pass = ${event}\nrule = 99999\nalert = 3\ndecoder = auditd\n\n[From temp]\nlog 1 pass = ${event}\nrule = 92601\nalert = 6\ndecoder = auditd\n`,
    );
    const s = await runSuite(wazuhSuite, dir);
    expect(s.cases.map((c) => [c.verdict, c.detail])).toEqual([
      ['failed', 'Wazuh rule 99999 has no catalogue mapping'],
      ['passed', undefined],
    ]);
  });
});
