import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { DROP_RULE_ID, Engine } from './engine.js';
import type { RuntimeEvent } from './event.js';
import { ThreatIntel } from './intel.js';
import { followFile } from './live/follow.js';
import { buildAuditWebhook } from './live/webhook.js';
import { replay, textInput } from './replay.js';
import { applyRuleFile, defaultRuleSet, loadRuleFile } from './rule-set.js';
import { docker, exec, k8s, service } from './rules/test-support/events.js';
import { k8sAudit } from './sources/k8s-audit.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-runtime-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nodePort = (at: number, name = 'svc') => ({ ...service({ type: 'NodePort' }, { name }), time: at });

describe('engine de-duplication', () => {
  it('folds repeats of rule × resource × key within the window into one alert with a count', () => {
    const engine = new Engine(defaultRuleSet(), { windowMs: 60_000 });
    for (const t of [0, 10_000, 20_000]) engine.process(nodePort(t));
    const alerts = engine.alerts().filter((a) => a.rule === 'RT-K8S-07');
    expect(alerts.length).toBe(1);
    expect(alerts[0]!.count).toBe(3);
    expect(alerts[0]!.lastSeen).toBe(new Date(20_000).toISOString());
  });

  it('starts a new alert after the window, and keeps other resources apart', () => {
    const engine = new Engine(defaultRuleSet(), { windowMs: 60_000 });
    engine.process(nodePort(0));
    engine.process(nodePort(200_000));
    engine.process(nodePort(200_001, 'other'));
    expect(
      engine
        .alerts()
        .filter((a) => a.rule === 'RT-K8S-07')
        .map((a) => a.count),
    ).toEqual([1, 1, 1]);
  });

  it('aggregates past the per-rule noise budget and says so', () => {
    const engine = new Engine(applyRuleFile(defaultRuleSet(), { activity: false }, 'x'), { noiseBudget: 3 });
    for (let i = 0; i < 10; i++) engine.process(nodePort(i, `svc-${i}`));
    const alerts = engine.alerts().filter((a) => a.rule === 'RT-K8S-07');
    expect(alerts.length).toBe(4);
    const agg = alerts.find((a) => a.evidence.aggregated === true)!;
    expect(agg.title).toMatch(/noise budget/);
    expect(agg.count).toBe(7);
    expect(engine.stats.aggregated).toBe(7);
  });
});

describe('backpressure', () => {
  it('drops and counts events beyond the queue bound, raises one self-alert, and processes the rest', async () => {
    const raised: string[] = [];
    const engine = new Engine(defaultRuleSet(), { queueLimit: 100, onAlert: (a) => raised.push(a.rule) });
    let accepted = 0;
    for (let i = 0; i < 1000; i++) if (engine.offer(nodePort(i))) accepted++;
    expect(accepted).toBe(100);
    expect(engine.pending).toBe(100);
    expect(engine.stats.dropped).toBe(900);
    expect(raised.filter((r) => r === DROP_RULE_ID).length).toBe(1);
    expect(engine.alerts().find((a) => a.rule === DROP_RULE_ID)!.count).toBe(900);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.pending).toBe(0);
    expect(engine.stats.events).toBe(100);
  });
});

describe('user rule files', () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('a user CEL condition that runs away stops at the cost limit: no match, and the next events still flow', () => {
    const file = write(
      'runaway.yaml',
      [
        'rules:',
        '  - id: ACME-02',
        '    title: Runaway condition',
        '    source: auditd',
        '    condition: event.process.argv.all(a, event.process.argv.all(b, event.process.argv.all(c, a + b + c != "")))',
        '  - id: ACME-03',
        '    title: Bounded condition',
        '    source: auditd',
        '    condition: event.process.argv.exists(a, a == "marker")',
      ].join('\n'),
    );
    const engine = new Engine(loadRuleFile(defaultRuleSet(), file));
    const many = Array.from({ length: 300 }, (_, i) => `arg${i}`); // 27 million innermost steps
    engine.process(exec(['/bin/true', ...many, 'marker']));
    engine.process(exec(['/bin/true', 'x', 'marker']));
    const fired = engine.alerts().filter((a) => a.rule.startsWith('ACME'));
    expect(fired.find((a) => a.rule === 'ACME-02')?.count).toBe(1); // only the small event matched
    expect(fired.find((a) => a.rule === 'ACME-03')?.count).toBe(2);
  });

  it('adds a CEL rule, overrides a severity, disables a rule and applies unexpired exceptions only', () => {
    const file = write(
      'rules.yaml',
      [
        'rules:',
        '  - id: ACME-01',
        '    title: Deletion of a production namespace',
        '    source: k8s-audit',
        '    severity: High',
        '    condition: event.audit.verb == "delete" && event.audit.objectRef.resource == "namespaces" && event.audit.objectRef.name.startsWith("prod")',
        '    evidence: [audit.user.username]',
        '  - id: RT-K8S-07',
        '    severity: Critical',
        '  - id: RT-K8S-A08',
        '    enabled: false',
        'exceptions:',
        '  - id: RT-HOST-35',
        '    reason: the scanning team runs nmap',
        '    by: secops',
        '    expires: 2999-01-01',
        '    match: { tool: nmap }',
        '  - id: RT-HOST-36',
        '    reason: expired pentest window',
        '    expires: 2000-01-01',
      ].join('\n'),
    );
    const set = loadRuleFile(defaultRuleSet(), file);
    const engine = new Engine(set);
    engine.process(
      k8s({ resource: 'namespaces', name: 'prod-eu', verb: 'delete', code: 200, user: { username: 'eve' } }),
    );
    engine.process(service({ type: 'NodePort' }));
    engine.process(exec(['nmap', '10.0.0.0/24']));
    engine.process(exec(['hydra', '-l', 'root', 'ssh://10.0.0.2']));
    const rules = engine.alerts().map((a) => a.rule);
    expect(rules).toContain('ACME-01');
    expect(engine.alerts().find((a) => a.rule === 'ACME-01')!.evidence).toEqual({
      'audit.user.username': 'eve',
    });
    expect(engine.alerts().find((a) => a.rule === 'RT-K8S-07')!.severity).toBe('CRITICAL');
    expect(rules).not.toContain('RT-K8S-A08');
    expect(rules).not.toContain('RT-HOST-35');
    expect(rules).toContain('RT-HOST-36');
    expect(engine.stats.suppressed).toBe(1);
  });

  it('refuses bad rule files with a message naming the file', () => {
    expect(() => loadRuleFile(defaultRuleSet(), write('bad.yaml', 'rules: [ {id: X'))).toThrow(
      UserInputError,
    );
    expect(() =>
      loadRuleFile(defaultRuleSet(), write('bad2.yaml', 'rules:\n  - id: NEW-1\n    title: t\n')),
    ).toThrow(/needs title, source and condition/);
    expect(() =>
      loadRuleFile(defaultRuleSet(), write('bad3.yaml', 'exceptions:\n  - id: RT-HOST-01\n')),
    ).toThrow(/bad3\.yaml|reason/);
    expect(() =>
      loadRuleFile(
        defaultRuleSet(),
        write(
          'bomb.yaml',
          `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
        ),
      ),
    ).toThrow(UserInputError);
  });

  it('switches the audit-trail rows off as a group', () => {
    const engine = new Engine(applyRuleFile(defaultRuleSet(), { activity: false }, 'x'));
    engine.process(k8s({ resource: 'deployments', ns: 'd', name: 'x' }));
    expect(engine.alerts()).toEqual([]);
  });
});

describe('threat intel', () => {
  it('reads plain lists (IPs, CIDRs, domains) and STIX 2.1 bundles, naming the feed', () => {
    const intel = new ThreatIntel();
    intel.loadText(
      '# feed: blocklist category: malicious\n127.66.0.0/16\nevil.example\nnot an indicator\n',
      'list.txt',
    );
    intel.loadText(
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--1',
        objects: [
          { type: 'identity', id: 'identity--1', name: 'ACME CTI' },
          {
            type: 'indicator',
            id: 'indicator--1',
            created_by_ref: 'identity--1',
            pattern: "[ipv4-addr:value = '127.77.0.7']",
            pattern_type: 'stix',
            indicator_types: ['anonymization'],
          },
          {
            type: 'indicator',
            id: 'indicator--2',
            pattern: "[file:hashes.MD5 = 'abc']",
            pattern_type: 'stix',
          },
        ],
      }),
      'bundle.json',
    );
    expect(intel.ip('127.66.3.4')).toEqual({
      feed: 'blocklist',
      category: 'malicious',
      indicator: '127.66.0.0/16',
    });
    expect(intel.domain('a.b.evil.example')?.feed).toBe('blocklist');
    expect(intel.ip('127.77.0.7')).toEqual({ feed: 'ACME CTI', category: 'proxy', indicator: '127.77.0.7' });
    expect(intel.ip('127.0.0.1')).toBeUndefined();
    expect(intel.dropped).toBe(2);
    expect(() => intel.loadText('{"type":"x"}', 'x.json')).toThrow(UserInputError);
  });
});

describe('sources', () => {
  it('refuses input that is not an audit Event, and raises no alert for it', async () => {
    await expect(
      replay(k8sAudit, [textInput('events.json', '{"kind":"Pod","apiVersion":"v1"}\n')], defaultRuleSet()),
    ).rejects.toThrow(/not a Kubernetes audit Event/);
    await expect(
      replay(k8sAudit, [textInput('trunc.json', '{"kind":"Event","verb":')], defaultRuleSet()),
    ).rejects.toThrow(/truncated|malformed/);
  });

  it('decides on a Docker image tag only after the import that follows it', () => {
    const engine = new Engine(defaultRuleSet());
    const at = (e: RuntimeEvent, t: number) => ({ ...e, time: t });
    engine.process(at(docker('tag', { name: 'a:1' }, undefined, undefined, 'image', 'sha256:aa'), 0));
    engine.process(at(docker('import', {}, undefined, undefined, 'image', 'sha256:aa'), 10));
    engine.process(at(docker('tag', { name: 'b:1' }, undefined, undefined, 'image', 'sha256:bb'), 20));
    engine.process(at(docker('start', {}, { HostConfig: {} }), 5000));
    const tags = engine.alerts().filter((a) => a.rule === 'RT-DKR-10');
    expect(tags.map((a) => a.resource.id)).toEqual(['sha256:bb']);
  });
});

describe('live inputs', () => {
  it('follows a file across appends, rotation and truncation', async () => {
    const path = join(dir, 'audit.log');
    writeFileSync(path, 'old\n');
    const lines: string[] = [];
    const stop = followFile(path, (l) => lines.push(l), { pollMs: 20 });
    appendFileSync(path, 'a\nb');
    await new Promise((r) => setTimeout(r, 80));
    appendFileSync(path, '\n');
    await new Promise((r) => setTimeout(r, 80));
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'c\n');
    await new Promise((r) => setTimeout(r, 80));
    writeFileSync(path, ''); // truncated…
    await new Promise((r) => setTimeout(r, 80));
    writeFileSync(path, 'd\n'); // …and written again
    await new Promise((r) => setTimeout(r, 80));
    stop();
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('receives EventList POSTs with the bearer token and refuses others', async () => {
    const got: RuntimeEvent[] = [];
    const app = await buildAuditWebhook((e) => got.push(e), { token: 's3cret' });
    const body = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [k8s({ resource: 'pods', verb: 'list', code: 200 }).audit],
    };
    const denied = await app.inject({
      method: 'POST',
      url: '/k8s-audit',
      payload: body,
      headers: { authorization: 'Bearer wrong' },
    });
    expect(denied.statusCode).toBe(401);
    const ok = await app.inject({
      method: 'POST',
      url: '/k8s-audit',
      payload: body,
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ accepted: 1 });
    const bad = await app.inject({
      method: 'POST',
      url: '/k8s-audit',
      payload: { kind: 'Pod' },
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(bad.statusCode).toBe(400);
    expect(got.length).toBe(1);
    await app.close();
  });
});
