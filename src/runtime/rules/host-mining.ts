import { auditRule, execRule } from './lib/define.js';
import { anyText, execOf, isNamed, isPublicIp, parents, textsLine, urls } from './lib/host.js';
import type { Rule } from './types.js';

const IMPACT = { tactic: 'Impact', technique: 'T1496 Resource Hijacking' };
const MINER_ARGS = [
  /stratum\+(?:tcp|ssl|tls):\/\//,
  /--donate-level\b/,
  /(?:^|\s)(?:-a|--algo)[=\s]+(?:cryptonight\S*|randomx|rx\/0)\b/,
  /(?:^|[\s=])[48][1-9A-HJ-NP-Za-km-z]{94}(?:$|\s)/,
];

export const hostMiningRules: Rule[] = [
  {
    ...execRule(
      {
        id: 'RT-HOST-04',
        title: 'Crypto-miner process',
        severity: 'High',
        ...IMPACT,
        defender: [
          'K8S.NODE_CryptoCoinMinerArtifacts',
          'K8S.NODE_DigitalCurrencyMining',
          'K8S.NODE_CryptoCoinMinerExecution',
        ],
        falco: ['Known Cryptominer Process Executed', 'Detect crypto miners using the Stratum protocol'],
        remediation: 'Kill the miner, remove its files and persistence, and find the entry point.',
        cmdline: true,
      },
      (p, _e, ctx) => {
        const name = isNamed(p, ctx.list('miner_processes'));
        if (name) return { evidence: { miner: name }, key: name };
        const arg = MINER_ARGS.map((re) => anyText(p, ctx, re)).find(Boolean);
        return arg ? { evidence: { indicator: arg.trim() } } : undefined;
      },
    ),
  },
  auditRule(
    {
      id: 'RT-HOST-05',
      title: 'Connection to a mining pool',
      severity: 'Medium',
      tactic: 'Impact, Command and Control',
      technique: 'T1496; T1071 Application Layer Protocol',
      falco: ['Detect outbound connections to common miner pool ports'],
      remediation: 'Block the pool address and look for the miner process.',
    },
    (e, ctx) => {
      if (e.kind === 'connect' && e.socket?.addr) {
        const { addr, port } = e.socket;
        const ports = (ctx.lists.miner_pool_ports ?? []).map(Number);
        if (isPublicIp(addr) && port !== undefined && ports.includes(port))
          return { evidence: { destination: `${addr}:${port}` }, key: `${addr}:${port}` };
        return undefined;
      }
      const p = execOf(e);
      if (!p) return undefined;
      const text = textsLine(p, ctx).toLowerCase();
      const pool = ctx.list('miner_pool_domains').find((d) => text.includes(d));
      return pool ? { evidence: { pool }, key: pool } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-06',
      title: 'Miner download',
      severity: 'Medium',
      tactic: 'Command and Control, Impact',
      technique: 'T1105 Ingress Tool Transfer; T1496',
      defender: ['K8S.NODE_CryptoCoinMinerDownload'],
      remediation: 'Delete the downloaded file and find what ran the download.',
    },
    (p, _e, ctx) => {
      if (
        !isNamed(p, ctx.list('downloaders')) &&
        !/\burllib|requests\.get|LWP::Simple/.test(p.argv.join(' '))
      )
        return undefined;
      const miners = ctx.list('miner_processes');
      const line = p.argv.join(' ').toLowerCase();
      const u = urls(line).find(
        (url) => miners.some((m) => url.includes(m)) || /github\.com\/(?:xmrig|fireice-uk)\//.test(url),
      );
      if (u) return { url: u };
      const out = p.argv.find(
        (a, i) =>
          ['-o', '-O', '--output'].includes(p.argv[i - 1] ?? '') &&
          miners.some((m) => a.toLowerCase().includes(m)),
      );
      return out ? { output: out } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-07',
      title: 'CPU tuning for mining',
      severity: 'Medium',
      ...IMPACT,
      remediation: 'Find the process that tuned MSRs or huge pages; miners do this to speed up RandomX.',
    },
    (p, _e, ctx) => {
      const line = textsLine(p, ctx);
      const tuning =
        /\bmodprobe\s+msr\b/.test(line) ||
        /\bwrmsr\b/.test(line) ||
        /\bsysctl\s+(?:-w\s+)?vm\.nr_hugepages=/.test(line) ||
        /(?:>|tee\s+)\s*\/proc\/sys\/vm\/nr_hugepages|\/sys\/module\/msr\/parameters\/allow_writes/.test(
          line,
        );
      if (!tuning) return undefined;
      const adminSession = p.auid === 0 || p.auid === undefined || p.auid === 4294967295;
      return p.container || !adminSession ? { tuning: line.slice(0, 200) } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-08',
      title: 'Competing miners or malware killed',
      severity: 'Medium',
      tactic: 'Impact, Defense Evasion',
      technique: 'T1496; T1562 Impair Defenses',
      remediation:
        'Kill-lists of competing miners are typical of mining malware: look for the script running them.',
    },
    (p, e, ctx) => {
      if (!isNamed(p, ['kill', 'pkill', 'killall'])) return undefined;
      const targets = ctx.list('competing_malware');
      const named = p.argv.slice(1).find((a) => targets.some((t) => a.includes(t)));
      if (named) return { evidence: { target: named } };
      if (p.ppid === undefined) return undefined;
      const kills = ctx.window(`kills:${e.host ?? ''}:${p.ppid}`, e.time, 10_000, p.pid);
      if (kills.length < 5) return undefined;
      const parent = parents(p, ctx, 1)[0];
      return { evidence: { kills: kills.length, parent: parent?.exe ?? p.ppid }, key: `ppid ${p.ppid}` };
    },
  ),
];
