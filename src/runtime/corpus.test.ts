import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FALCO_TEST_OVERRIDES, falcoRuleMap } from '../../test/conformance/suites/falco-k8saudit.js';
import { corpusPath } from '../../test/corpus.js';
import type { Json } from './event.js';
import { fileInput, replay, textInput } from './replay.js';
import { applyRuleFile, defaultRuleSet } from './rule-set.js';
import { auditd } from './sources/auditd.js';
import { dockerEvents } from './sources/docker-events.js';
import { k8sAudit } from './sources/k8s-audit.js';

const R = (...p: string[]) => corpusPath('runtime', ...p);

/** Falco rule name → catalogue ids (the catalogue's Falco column), and the upstream test overrides restated. */
const FALCO = falcoRuleMap();
const OVERRIDES = FALCO_TEST_OVERRIDES;

const counts = (alerts: { rule: string; count: number }[]) => {
  const out: Record<string, number> = {};
  for (const a of alerts) out[a.rule] = (out[a.rule] ?? 0) + a.count;
  return out;
};

describe('Falco k8saudit traces (falco-k8saudit/labels.json)', () => {
  const labels = JSON.parse(readFileSync(R('falco-k8saudit', 'labels.json'), 'utf8'));
  const files = Object.entries<Json>(labels.files);
  const table: { file: string; cases: number; agreed: number }[] = [];

  it('maps every Falco rule named in the labels to catalogue rows', () => {
    for (const [, v] of files)
      for (const c of v.cases)
        for (const name of Object.keys(c.counts ?? {}))
          if (c.ruleset !== 'custom') expect(FALCO.has(name), name).toBe(true);
  });

  for (const [file, v] of files) {
    it(`${file.split('/').pop()}: stock rows and every upstream case agree`, async () => {
      const stock = await replay(k8sAudit, [fileInput(R('falco-k8saudit', file))], defaultRuleSet());
      expect(Object.keys(counts(stock.alerts)).sort()).toEqual([...v.stock.bulkhead].sort());
      let agreed = 0;
      let applicable = 0;
      for (const c of v.cases) {
        if (c.ruleset === 'custom') continue; // a single test rule of the upstream suite, not a catalogue row
        applicable += 1;
        let set = defaultRuleSet();
        for (const o of c.overrides) set = applyRuleFile(set, OVERRIDES[o]!, o);
        const got = counts((await replay(k8sAudit, [fileInput(R('falco-k8saudit', file))], set)).alerts);
        if (!c.detect) {
          expect(got, c.case).toEqual({});
        } else {
          for (const [name, n] of Object.entries<number>(c.counts))
            for (const id of FALCO.get(name)!) expect({ [id]: got[id] }, c.case).toEqual({ [id]: n });
          if (c.all_rules_our_reading) {
            const want = Object.keys(c.all_rules_our_reading).flatMap((n) => FALCO.get(n) ?? []);
            expect(Object.keys(got).sort(), c.case).toEqual([...new Set(want)].sort());
          }
        }
        agreed += 1;
      }
      table.push({ file, cases: applicable, agreed });
    });
  }

  it('produces no alert on the real audit2rbac log (file and EventList forms)', async () => {
    const r = await replay(
      k8sAudit,
      [
        fileInput(R('audit2rbac', 'testdata', 'demo.log')),
        fileInput(R('audit2rbac', 'testdata', 'demo.eventlist.json')),
      ],
      defaultRuleSet(),
    );
    expect(r.events).toBe(74);
    expect(r.alerts).toEqual([]);
  });
});

describe('CrowdSec hub labelled cases (crowdsec-hub/labels.json)', () => {
  const labels = JSON.parse(readFileSync(R('crowdsec-hub', 'labels.json'), 'utf8'));
  const activity = JSON.parse(readFileSync(R('auditd-activity.json'), 'utf8'));
  for (const [dir, t] of Object.entries<Json>(labels.tests)) {
    it(`${dir}: ${t.scenario ?? 'parser test'}`, async () => {
      const name = dir.split('/').filter(Boolean).pop()!;
      const source = t.kind === 'k8s-audit' ? k8sAudit : auditd;
      const r = await replay(source, [fileInput(R('crowdsec-hub', dir, `${name}.log`))], defaultRuleSet());
      const expected: string[] = t.scenario
        ? t.bulkhead
        : (activity.files[`crowdsec-hub/${dir}${name}.log`]?.positive ?? []);
      expect(r.alerts.map((a) => a.rule).sort()).toEqual([...expected].sort());
      // CrowdSec raises exactly `alerts` alerts: one de-duplicated Bulkhead alert per row
      if (t.scenario) expect(r.alerts.length).toBe(t.alerts);
    });
  }
});

describe('Wazuh ruleset tests (wazuh/labels.json)', () => {
  const labels = JSON.parse(readFileSync(R('wazuh', 'labels.json'), 'utf8'));
  for (const [path, sections] of Object.entries<Json[]>(labels.files)) {
    const ini = readFileSync(R('wazuh', path), 'utf8');
    const logs = new Map<string, string[]>();
    let current = '';
    for (const line of ini.split('\n')) {
      const sec = /^\[(.*)\]$/.exec(line);
      if (sec) current = sec[1]!;
      const log = /^log \d+ (?:pass|fail) = ?(.*)$/.exec(line);
      if (log) logs.set(current, [...(logs.get(current) ?? []), log[1]!]);
    }
    for (const s of sections) {
      it(`${path.split('/').pop()} [${s.title}] → ${s.bulkhead.join(', ') || 'no alert'}`, async () => {
        const lines = logs.get(s.title) ?? [];
        expect(lines.length).toBe(s.logs.length);
        for (const line of lines) {
          const docker = s.decoder === 'json';
          const text = docker
            ? line
            : line.replaceAll('\\u001D', '\x1d').replace(/ (?=type=[A-Z_]+ msg=audit)/g, '\n');
          const r = await replay(
            docker ? dockerEvents : auditd,
            [textInput(s.title, text)],
            defaultRuleSet(),
          );
          expect(r.events).toBeGreaterThan(0);
          expect(r.alerts.map((a) => a.rule).sort()).toEqual([...s.bulkhead].sort());
        }
      });
    }
  }
});

describe('false-positive review of the unlabelled auditd samples (auditd-activity.json)', () => {
  const activity = JSON.parse(readFileSync(R('auditd-activity.json'), 'utf8')).files as Record<string, Json>;
  /** Alerts our review accepts beyond the file: an interactive `useradd frodo` (auid 1000, pts/0). */
  const accepted: Record<string, string[]> = { 'go-libaudit/auparse/testdata/test3.log': ['RT-HOST-15'] };
  const globbed = activity['go-libaudit/auparse/testdata/*.log + *.log.golden'];
  const files: [string, Json][] = [
    ...Object.entries(activity).filter(
      ([k]) => !k.includes('*') && !k.endsWith('.ref') && !k.startsWith('crowdsec'),
    ),
    ...readdirSync(R('go-libaudit', 'auparse', 'testdata'))
      .filter((f) => f.endsWith('.log'))
      .map((f): [string, Json] => [`go-libaudit/auparse/testdata/${f}`, globbed]),
  ];
  for (const [file, expect_] of files) {
    it(`${file}`, async () => {
      let text = readFileSync(R(file), 'utf8');
      if (file.endsWith('.yaml')) text = Object.values<string>(parse(text).tests).join('\n');
      const r = await replay(auditd, [textInput(file, text)], defaultRuleSet());
      expect(r.events).toBeGreaterThan(0);
      const got = [...new Set(r.alerts.map((a) => a.rule))].sort();
      const fp = (expect_.fp_check ?? []).map((s: string) => s.split(' ')[0]);
      for (const id of fp) expect(got).not.toContain(id);
      expect(got).toEqual([...(expect_.positive ?? []), ...(accepted[file] ?? [])].sort());
    });
  }
});
