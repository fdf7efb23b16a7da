import { readFileSync } from 'node:fs';
import { replay, textInput } from '../../../src/runtime/replay.js';
import { defaultRuleSet } from '../../../src/runtime/rule-set.js';
import { auditd } from '../../../src/runtime/sources/auditd.js';
import { dockerEvents } from '../../../src/runtime/sources/docker-events.js';
import type { EventSource } from '../../../src/runtime/sources/types.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, rel } from './support.js';

/**
 * Wazuh rule id → the catalogue rows that detect what the rule states. `[]`: the rule reports something no row
 * alerts on by default (daemon state, single recon commands, container lifecycle); its logs must still parse.
 * Ids are Wazuh's public rule ids (auditd 807xx, audit command rules 926xx, Docker 879xx); a rule absent here
 * fails its cases with that reason.
 */
export const WAZUH_RULES: Readonly<Record<string, readonly string[]>> = {
  // auditd daemon, configuration and anomaly records (0365-auditd_rules.xml)
  '80701': [], // daemon start / resume
  '80702': [], // daemon start failed
  '80703': [], // daemon end
  '80704': [], // daemon abort
  '80705': [], // audit rules added or removed
  '80710': [], // device in promiscuous mode
  '80711': [], // process ended abnormally (any program; RT-HOST-56 wants a setuid one)
  '80712': [], // execution ended abnormally
  '80713': [], // file made executable
  '80714': [], // file access ended abnormally
  '80715': [], // AMTU failure
  '80716': [], // DAC/MAC failure limit
  '80717': [], // RBAC failure
  '80718': [], // account addition ended abnormally
  '80719': [], // account deletion ended abnormally
  '80720': [], // account modification ended abnormally
  '80721': [], // user becomes root
  '80722': [], // login attempt ended abnormally
  '80723': [], // failed-login limit
  '80724': [], // login from a forbidden location
  '80725': [], // concurrent-session limit
  '80726': [], // login at a forbidden time
  '80730': [], // SELinux permission check
  '80731': [], // SELinux mode changed
  '80732': [], // SELinux error
  '80740': [], // replay attack
  '80741': [], // group id changed
  '80742': [], // user id changed
  '80780': [], // watch: write access
  '80781': [], // watch: read access
  '80782': [], // watch: execute access
  '80783': [], // watch: attribute change
  '80784': [], // watch: other access
  '80790': [], // file created
  '80791': [], // file deleted
  '80793': [], // passwd locked an account
  '80794': [], // passwd unlocked an account
  // audit command rules (audit_scp, audit_recon)
  '92600': [], // python executed (grouping rule, level 0)
  '92601': ['RT-HOST-58'], // python script run from /tmp
  '92602': ['RT-HOST-36'], // Impacket script signature
  '92603': [], // scp copy over SSH
  '92604': [], // ps listing every process (one command; RT-HOST-34 wants a burst)
  '92605': [], // recursive ls (one command)
  // Docker listener (0560-docker_integration_rules.xml)
  '87901': [], // container created
  '87902': [], // container destroyed
  '87903': [], // container started
  '87904': [], // container stopped
  '87905': [], // container paused
  '87906': [], // container unpaused
  '87908': ['RT-DKR-05', 'RT-DKR-06'], // shell session started in a container
  '87913': [], // volume created
  '87914': [], // volume destroyed
  '87921': [], // container deleted
  '87924': [], // container died
  '87930': [], // network created
  '87931': [], // network destroyed
  '87932': [], // image pulled
};

/** Wazuh decoder → the source that reads its logs. */
const DECODERS: Readonly<Record<string, EventSource>> = { auditd, json: dockerEvents };

interface Section {
  title: string;
  rule?: string;
  decoder?: string;
  logs: { n: string; expect: 'pass' | 'fail'; text: string }[];
}

/** The `[section]`s of a wazuh-logtest `.ini` file. */
export function parseIni(text: string): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  for (const line of text.split('\n')) {
    const head = /^\[(.*)\]\s*$/.exec(line);
    if (head) {
      current = { title: head[1]!, logs: [] };
      out.push(current);
      continue;
    }
    if (!current) continue;
    const log = /^log (\d+) (pass|fail) = ?(.*)$/.exec(line);
    if (log) current.logs.push({ n: log[1]!, expect: log[2] as 'pass' | 'fail', text: log[3]! });
    const kv = /^(rule|decoder)\s*=\s*(\S+)/.exec(line);
    if (kv) current[kv[1] as 'rule' | 'decoder'] = kv[2]!;
  }
  return out;
}

/**
 * Wazuh writes a whole audit event on one line (records joined by spaces, the enriched block after a literal
 * `\u001D`, a `node=` prefix only before the first record): back to audit.log lines, each with the node.
 */
export function auditLines(text: string): string {
  const records = text
    .replaceAll('\\u001D', '\x1d')
    .split(/(?<!node=\S+) (?=(?:node=\S+ )?type=[A-Z_0-9]+ msg=audit\()/);
  const node = /^node=\S+ /.exec(records[0] ?? '')?.[0];
  return records.map((r) => (node && !r.startsWith('node=') ? `${node}${r}` : r)).join('\n');
}

async function logCase(file: string, s: Section, log: Section['logs'][number]): Promise<CaseOutcome> {
  const id = `${file} [${s.title}] log ${log.n} ${log.expect}`;
  const rows = WAZUH_RULES[s.rule ?? ''];
  if (!rows)
    return { id, verdict: 'failed', detail: `Wazuh rule ${s.rule ?? '(none)'} has no catalogue mapping` };
  const source = DECODERS[s.decoder ?? ''];
  if (!source)
    return { id, verdict: 'failed', detail: `decoder "${s.decoder}" is not one this runner reads` };
  const text = source === auditd ? auditLines(log.text) : log.text;
  const r = await replay(source, [textInput(id, text)], defaultRuleSet());
  if (r.events === 0) return { id, verdict: 'failed', detail: 'the line gave no event' };
  const fired = new Set(r.alerts.map((a) => a.rule));
  if (log.expect === 'pass') {
    const missing = rows.filter((row) => !fired.has(row));
    if (missing.length > 0)
      return { id, verdict: 'failed', detail: `rule ${s.rule} matches; ${missing.join(', ')} did not fire` };
  } else {
    const wrong = rows.filter((row) => fired.has(row));
    if (wrong.length > 0)
      return { id, verdict: 'failed', detail: `rule ${s.rule} must not match; ${wrong.join(', ')} fired` };
  }
  return {
    id,
    verdict: 'passed',
    ...(rows.length === 0 ? { detail: `parsed (${r.events} event); no row maps to rule ${s.rule}` } : {}),
  };
}

/**
 * Wazuh ruleset tests (`ruleset/testing/tests/*.ini`, the wazuh-logtest format): each `log N pass|fail` line of a
 * section must (not) match the section's Wazuh rule; here, the rows mapped to that rule must (not) fire. Sections
 * of decoders that are not run-time sources (web servers, firewalls…) are left out.
 */
export const wazuhSuite: ConformanceSuite = {
  name: 'wazuh',
  description: 'wazuh/wazuh ruleset/testing/tests .ini files (auditd and Docker listener sections)',
  defaultDir: 'runtime/wazuh',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const path of filesUnder(dir, (n) => n.endsWith('.ini'))) {
      const file = rel(dir, path);
      for (const s of parseIni(readFileSync(path, 'utf8'))) {
        if (s.decoder === 'json' && !s.logs.some((l) => /"integration":\s*"docker"/.test(l.text))) continue;
        if (s.decoder !== 'auditd' && s.decoder !== 'json') continue;
        for (const log of s.logs) {
          try {
            yield await logCase(file, s, log);
          } catch (error) {
            yield {
              id: `${file} [${s.title}] log ${log.n}`,
              verdict: 'failed',
              detail: (error as Error).message,
            };
          }
        }
      }
    }
  },
};
