import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replay, textInput } from '../replay.js';
import { defaultRuleSet } from '../rule-set.js';
import { auditd } from '../sources/auditd.js';
import { SYSCALL_ONLY } from './lib/records.js';

/** Logs recorded from auditd on a test host with bulkhead.rules (testdata/sparse-audit/README.md). */
const recorded = (name: string) =>
  readFileSync(new URL(`./testdata/sparse-audit/${name}.log`, import.meta.url), 'utf8');

/** The same log as a configuration that writes only SYSCALL records (no EXECVE, PATH, CWD, SOCKADDR…). */
const syscallOnly = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^(?:node=\S+ )?type=SYSCALL /.test(l))
    .join('\n');

async function detect(text: string) {
  const r = await replay(auditd, [textInput('recorded', text)], defaultRuleSet());
  return r.alerts;
}

/** Rows that correlate several events (download → chmod → exec, reverse shell, cron and log tampering). */
const CORRELATION_ROWS = ['RT-HOST-02', 'RT-HOST-12', 'RT-HOST-14', 'RT-HOST-47'];

/** Every `audit(ID)` an alert cites is a record of the log it was built from. */
function expectCitedRecords(evidence: Record<string, unknown>, log: string): void {
  const records = evidence.records as string[];
  expect(records.length).toBeGreaterThan(0);
  for (const line of records) {
    const id = /audit\(([\d.]+:\d+)\)/.exec(line)?.[1];
    expect(id, line).toBeDefined();
    expect(log).toContain(`msg=audit(${id}):`);
  }
}

describe('recorded logs and their SYSCALL-only form', () => {
  it('the SYSCALL-only form keeps only SYSCALL records, and the recordings had the others', () => {
    for (const name of ['download-chmod-exec', 'reverse-shell', 'cron-persistence', 'log-tampering']) {
      const full = recorded(name);
      expect(full).toMatch(/type=(EXECVE|PATH) /);
      const sparse = syscallOnly(full);
      expect(sparse).not.toMatch(/type=(?!SYSCALL )[A-Z_]+ msg=/);
      expect(sparse.split('\n').length).toBeGreaterThan(3);
    }
  });
});

describe('multi-step rows on SYSCALL records alone', () => {
  it('download → chmod +x → exec from /tmp: RT-HOST-12 from process lineage, citing the three steps', async () => {
    const log = syscallOnly(recorded('download-chmod-exec'));
    const alert = (await detect(log)).find((a) => a.rule === 'RT-HOST-12');
    expect(alert?.evidence).toMatchObject({
      basis: SYSCALL_ONLY,
      step: 'exec',
      file: '/tmp/bulkhead-sparse/update',
    });
    const records = alert?.evidence.records as string[];
    expect(records.map((r) => r.split(':')[0])).toEqual(['download', 'chmod', 'chmod', 'exec']);
    expect(records[0]).toMatch(/execve curl /);
    expect(records[2]).toMatch(/fchmodat chmod /);
    expectCitedRecords(alert!.evidence, log);
  });

  it('with argv and PATH records the same download is still read from the command lines', async () => {
    const alerts = (await detect(recorded('download-chmod-exec'))).filter((a) => a.rule === 'RT-HOST-12');
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.evidence.basis).toBeUndefined();
    expect(alerts.some((a) => a.evidence.file === '/tmp/bulkhead-sparse/update')).toBe(true);
  });

  it('a compiler run by the same parent makes the chain a build, not a payload', async () => {
    const log = syscallOnly(recorded('download-chmod-exec'));
    // the curl exec record again, as a cc run by the same shell just before the payload ran
    const curl = log.split('\n').find((l) => / comm="curl" .*SYSCALL=execve/.test(l))!;
    const cc = curl
      .replace(/:(\d+)\):/, (_m, n) => `:${Number(n) + 1000}):`)
      .replace(/ pid=\d+/, ' pid=999999')
      .replace('comm="curl" exe="/usr/bin/curl"', 'comm="cc" exe="/usr/bin/x86_64-linux-gnu-gcc-12"');
    const alerts = await detect(log.replace(curl, `${curl}\n${cc}`));
    expect(alerts.map((a) => a.rule)).not.toContain('RT-HOST-12');
  });

  it('reverse shell: a shell connecting to an IPv4 address (no SOCKADDR) and the shell it became', async () => {
    const log = syscallOnly(recorded('reverse-shell'));
    const alerts = (await detect(log)).filter((a) => a.rule === 'RT-HOST-02');
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a.evidence).toMatchObject({ basis: SYSCALL_ONLY, destination: 'not logged (no SOCKADDR record)' });
    expect(a.count).toBe(2); // the connect, then the exec of `bash -i` in the connected process
    expect((a.evidence.records as string[])[0]).toMatch(/^connect: audit\([^)]+\) connect bash pid \d+$/);
    expectCitedRecords(a.evidence, log);
  });

  it('cron persistence: a write under a watch keyed `cron`, path not logged', async () => {
    const log = syscallOnly(recorded('cron-persistence'));
    const alerts = (await detect(log)).filter((a) => a.rule === 'RT-HOST-47');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.evidence).toMatchObject({ watchKey: 'cron', syscall: 'openat', basis: SYSCALL_ONLY });
    expectCitedRecords(alerts[0]!.evidence, log);
  });

  it('log tampering: truncation and removal under a watch keyed `logs`', async () => {
    const log = syscallOnly(recorded('log-tampering'));
    const alerts = (await detect(log)).filter((a) => a.rule === 'RT-HOST-14');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.count).toBe(2); // `: >file` (openat O_TRUNC) and `rm` (unlinkat)
    expect(alerts[0]!.evidence).toMatchObject({ watchKey: 'logs', basis: SYSCALL_ONLY });
    expectCitedRecords(alerts[0]!.evidence, log);
  });
});

describe('benign look-alikes stay out of the correlation rows, with and without argv and PATH', () => {
  // both download with curl into /tmp, unpack there (node, tar and ld set execute bits) and run what they made
  for (const name of ['package-unpack', 'build-own-binaries'])
    for (const [mode, read] of [
      ['full', (t: string) => t],
      ['SYSCALL-only', syscallOnly],
    ] as const)
      it(`${name} (${mode})`, async () => {
        const text = read(recorded(name));
        expect(text).toMatch(/comm="curl"/);
        expect(text).toMatch(/SYSCALL=f?chmod(?:at)? /);
        const rules = new Set((await detect(text)).map((a) => a.rule));
        for (const row of CORRELATION_ROWS) expect(rules).not.toContain(row);
        // single-event rows the catalogue fires on any program run from /tmp or any download into it
        for (const row of rules) expect(['RT-HOST-11', 'RT-HOST-58']).toContain(row);
      });
});
