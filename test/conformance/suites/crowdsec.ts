import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeValue, parseRecord, unquote } from '../../../src/runtime/auditd/record.js';
import { fileInput, replay } from '../../../src/runtime/replay.js';
import { defaultRuleSet } from '../../../src/runtime/rule-set.js';
import { auditd } from '../../../src/runtime/sources/auditd.js';
import { k8sAudit } from '../../../src/runtime/sources/k8s-audit.js';
import type { EventSource } from '../../../src/runtime/sources/types.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { yamlFile } from './support.js';

/**
 * CrowdSec hub scenario → the catalogue rows that detect the same behaviour. Names are the hub's public
 * scenario names; a scenario absent here fails its test with that reason, one mapped to `[]` (no row detects
 * it) counts as not implemented.
 */
export const CROWDSEC_SCENARIOS: Readonly<Record<string, readonly string[]>> = {
  'crowdsecurity/auditd-base64-exec-behavior': ['RT-HOST-46'],
  'crowdsecurity/auditd-postexploit-exec-from-net': ['RT-HOST-12'],
  'crowdsecurity/auditd-postexploit-pkill': ['RT-HOST-08'],
  'crowdsecurity/auditd-postexploit-rm': ['RT-HOST-57'],
  'crowdsecurity/auditd-sus-exec': ['RT-HOST-58'],
  'crowdsecurity/auditd-suid-crash': ['RT-HOST-56'],
  'crowdsecurity/k8s-audit-anonymous-access': ['RT-K8S-29'],
  'crowdsecurity/k8s-audit-api-server-bruteforce': [], // repeated 401/403 from one client: no row

  'crowdsecurity/k8s-audit-pod-exec': ['RT-K8S-22'],
  'crowdsecurity/k8s-audit-pod-host-network': ['RT-K8S-10'],
  'crowdsecurity/k8s-audit-pod-host-path-volume': ['RT-K8S-09'],
  'crowdsecurity/k8s-audit-privileged-pod-creation': ['RT-K8S-08'],
  'crowdsecurity/k8s-audit-service-account-access-denied': [], // denied requests by service accounts: no row
};

/** CrowdSec `log_type` (the acquisition label the parsers key on) → Bulkhead event source. */
const LOG_TYPES: Readonly<Record<string, EventSource>> = { auditd, 'k8s-audit': k8sAudit };

/** The auditd parser's `Meta` keys CrowdSec extracts, read from one parsed record. */
const PARSER_META: Readonly<Record<string, (r: NonNullable<ReturnType<typeof parseRecord>>) => string>> = {
  auditd_eventid: (r) => String(r.serial),
  exe: (r) => field(r, 'exe'),
  comm: (r) => field(r, 'comm'),
  pid: (r) => field(r, 'pid'),
  ppid: (r) => field(r, 'ppid'),
  uid: (r) => field(r, 'uid'),
  auid: (r) => field(r, 'auid'),
  euid: (r) => field(r, 'euid'),
  gid: (r) => field(r, 'gid'),
  ses: (r) => field(r, 'ses'),
  tty: (r) => field(r, 'tty'),
};

/** Meta keys CrowdSec's acquisition and pipeline add (file name, log type, time): nothing a parser reads. */
const PIPELINE_META = new Set(['datasource_path', 'datasource_type', 'log_type', 'timestamp', 'machine']);

function field(r: NonNullable<ReturnType<typeof parseRecord>>, key: string): string {
  const raw = r.fields.find(([k]) => k === key)?.[1];
  return raw === undefined ? '' : key === 'exe' || key === 'comm' ? (decodeValue(raw) ?? '') : unquote(raw);
}

interface TestConfig {
  scenarios?: string[];
  parsers?: string[];
  log_file?: string;
  log_type?: string;
}

/** `crowdsecurity/x` from `./scenarios/crowdsecurity/x.yaml` (or a hub name given as is). */
function scenarioName(entry: string): string {
  const parts = entry.replace(/\.ya?ml$/, '').split('/');
  return parts.slice(-2).join('/');
}

/** `len(results) == N` of a scenario.assert. */
function expectedAlerts(assertFile: string): number | undefined {
  const m = /^len\(results\)\s*==\s*(\d+)\s*$/m.exec(readFileSync(assertFile, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

async function scenarioCase(dir: string, id: string, config: TestConfig): Promise<CaseOutcome> {
  const scenarios = (config.scenarios ?? []).filter(Boolean).map(scenarioName);
  const unknown = scenarios.filter((s) => !CROWDSEC_SCENARIOS[s]);
  if (unknown.length > 0)
    return { id, verdict: 'failed', detail: `CrowdSec scenario ${unknown.join(', ')} is not in the mapping` };
  if (scenarios.every((s) => CROWDSEC_SCENARIOS[s]?.length === 0))
    return {
      id,
      verdict: 'not-implemented',
      reason: 'unsupported-feature',
      detail: `no catalogue row detects ${scenarios.join(', ')}`,
    };
  const source = LOG_TYPES[config.log_type ?? ''] as EventSource;
  const assertFile = join(dir, 'scenario.assert');
  const want = existsSync(assertFile) ? expectedAlerts(assertFile) : undefined;
  if (want === undefined)
    return { id, verdict: 'failed', detail: 'scenario.assert states no `len(results) == N`' };
  const rows = new Set(scenarios.flatMap((s) => CROWDSEC_SCENARIOS[s] ?? []));
  const r = await replay(source, [fileInput(join(dir, config.log_file ?? `${id}.log`))], defaultRuleSet());
  const mine = r.alerts.filter((a) => rows.has(a.rule));
  if (mine.length === want) return { id, verdict: 'passed' };
  return {
    id,
    verdict: 'failed',
    detail: `${scenarios.join(', ')} expects ${want} alert(s); ${[...rows].join(', ')} raised ${mine.length} (all alerts: ${r.alerts.map((a) => a.rule).join(', ') || 'none'})`,
  };
}

/** A parser-only test: every `Meta`/`Unmarshaled` value the auditd parser asserts, against our record parser. */
function parserCase(dir: string, id: string, config: TestConfig): CaseOutcome {
  const assertFile = join(dir, 'parser.assert');
  if (!existsSync(assertFile)) return { id, verdict: 'failed', detail: 'no scenario and no parser.assert' };
  const lines = readFileSync(join(dir, config.log_file ?? `${id}.log`), 'utf8')
    .split('\n')
    .filter(Boolean);
  const records = lines.map(parseRecord);
  const problems: string[] = [];
  let checked = 0;
  const re =
    /^results\["s01-parse"\]\["[^"]*auditd[^"]*"\]\[(\d+)\]\.Evt\.(Meta|Unmarshaled\["auditd"\])\["([^"]+)"\] == "(.*)"$/;
  for (const line of readFileSync(assertFile, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (!m) {
      const count = /^len\(results\["s01-parse"\]\["[^"]*auditd[^"]*"\]\) == (\d+)$/.exec(line);
      if (count && Number(count[1]) !== records.filter(Boolean).length)
        problems.push(`${count[1]} records expected, ${records.filter(Boolean).length} parsed`);
      continue;
    }
    const [, index, part, key, value] = m as unknown as [string, string, string, string, string];
    const record = records[Number(index)];
    if (!record) {
      problems.push(`record ${index} did not parse`);
      continue;
    }
    let got: string | undefined;
    if (part === 'Meta') {
      if (PIPELINE_META.has(key)) continue;
      const read = PARSER_META[key];
      if (!read) {
        problems.push(`Meta key "${key}" is not one this runner knows`);
        continue;
      }
      got = read(record);
    } else if (key === 'type') got = record.type;
    else if (key === 'msg') got = `audit(${record.stamp}:${record.serial}):`;
    else got = record.fields.find(([k]) => k === key)?.[1];
    checked += 1;
    const want = value.replaceAll('\\"', '"');
    if (got !== want && unquote(got ?? '') !== want)
      problems.push(`record ${index} ${key}: expected ${want}, parsed ${got ?? 'nothing'}`);
  }
  if (checked === 0) problems.push('parser.assert holds no auditd field assertion');
  return problems.length === 0
    ? { id, verdict: 'passed', detail: `${checked} parsed fields agree` }
    : { id, verdict: 'failed', detail: problems.slice(0, 5).join('; ') };
}

/**
 * CrowdSec hub tests: `.tests/<test>/config.yaml` names the log, its type and the scenario; `scenario.assert`
 * states how many alerts CrowdSec raises (`len(results) == N`). The scenario's catalogue rows must raise as
 * many de-duplicated alerts on the same log. A parser-only test checks the fields of `parser.assert`.
 */
export const crowdsecSuite: ConformanceSuite = {
  name: 'crowdsec',
  description: 'crowdsecurity/hub .tests/<test>/ auditd and k8s-audit scenario and parser tests',
  defaultDir: 'runtime/crowdsec-hub',
  async *run(dir): AsyncIterable<CaseOutcome> {
    const root = existsSync(join(dir, '.tests')) ? join(dir, '.tests') : dir;
    for (const name of readdirSync(root).sort()) {
      const configFile = join(root, name, 'config.yaml');
      if (!existsSync(configFile)) continue;
      const config = yamlFile<TestConfig>(configFile) ?? {};
      if (!LOG_TYPES[config.log_type ?? '']) continue; // web, ssh… logs: not a run-time event source
      const id = basename(join(root, name));
      try {
        yield (config.scenarios ?? []).some(Boolean)
          ? await scenarioCase(join(root, name), id, config)
          : parserCase(join(root, name), id, config);
      } catch (error) {
        yield { id, verdict: 'failed', detail: (error as Error).message };
      }
    }
  },
};
