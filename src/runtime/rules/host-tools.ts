import { auditRule, execRule } from './lib/define.js';
import { basename, execOf, isNamed, names, parentNamed } from './lib/host.js';
import type { Rule } from './types.js';

const RECON: [RegExp, string][] = [
  [
    /^(?:id|whoami|uname|hostname|ifconfig|netstat|ss|ps|w|who|last|env|mount|df|lsblk|arp|route|getent)$/,
    '',
  ],
];

/** The recon command an exec is, if any (`cat /etc/passwd` counts, `ip a` counts). */
function reconName(p: { argv: string[]; exe?: string; comm?: string }): string | undefined {
  const n = names(p)[0] ?? '';
  if (RECON.some(([re]) => re.test(n))) return n;
  if (n === 'ip' && /^(?:a|addr|r|route|link)/.test(p.argv[1] ?? '')) return 'ip';
  if (n === 'cat' && p.argv.some((a) => /^\/etc\/(?:os-release|passwd|issue)$/.test(a)))
    return `cat ${p.argv[1]}`;
  if (n === 'crontab' && p.argv.includes('-l')) return 'crontab -l';
  if (n === 'sudo' && p.argv.includes('-l')) return 'sudo -l';
  return undefined;
}

function toolRule(id: string, title: string, list: string, meta: Partial<Rule>): Rule {
  return execRule(
    {
      id,
      title,
      severity: 'Medium',
      tactic: meta.tactic ?? 'Discovery',
      ...(meta.technique ? { technique: meta.technique } : {}),
      ...(meta.defender ? { defender: meta.defender } : {}),
      ...(meta.falco ? { falco: meta.falco } : {}),
      remediation:
        meta.remediation ?? 'Find who ran the tool and whether it was sanctioned; remove it otherwise.',
      cmdline: true,
    },
    (p, _e, ctx) => {
      const tools = ctx.list(list);
      const candidates = [...names(p), ...p.argv.slice(1, 4).map(basename)];
      const tool = candidates.find((c) => tools.includes(c) || tools.includes(c.toLowerCase()));
      return tool ? { evidence: { tool }, key: tool } : undefined;
    },
  );
}

export const hostToolRules: Rule[] = [
  auditRule(
    {
      id: 'RT-HOST-28',
      title: 'New Linux namespace created from a container',
      severity: 'Low',
      tactic: 'Privilege Escalation',
      technique: 'T1611 Escape to Host',
      defender: ['K8S.NODE_NamespaceCreation'],
      falco: ['Change thread namespace', 'Change namespace privileges via unshare'],
      remediation: 'Containers rarely need new namespaces: check for an escape attempt; drop CAP_SYS_ADMIN.',
    },
    (e) => {
      const p = e.process;
      if (!p?.container) return undefined;
      const s = e.syscall;
      if (s?.success && (s.name === 'unshare' || s.name === 'setns'))
        return { evidence: { syscall: s.name } };
      if (s?.success && (s.name === 'clone' || s.name === 'clone3')) {
        const flags = Number.parseInt(s.a[0] ?? '0', 16);
        if (flags & 0x10000000 || flags & 0x00020000) return { evidence: { syscall: s.name, flags: s.a[0] } };
      }
      const x = execOf(e);
      return x && isNamed(x, ['unshare', 'nsenter']) ? { evidence: { tool: names(x)[0] } } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-29',
      title: 'Privileged container launched from the command line',
      severity: 'Low',
      tactic: 'Privilege Escalation, Execution',
      technique: 'T1611; T1610 Deploy Container',
      defender: ['K8S.NODE_PrivilegedContainerArtifacts'],
      falco: ['Launch Privileged Container'],
      remediation: 'Run the container without --privileged and with the capabilities it needs only.',
    },
    (p) => {
      const a = p.argv;
      const line = a.join(' ');
      if (isNamed(p, ['docker', 'podman', 'nerdctl', 'ctr', 'crictl'])) {
        if (!a.some((x) => x === 'run' || x === 'create')) return undefined;
        if (a.includes('--privileged')) return { option: '--privileged' };
        if (/--cap-add[=\s]+(?:ALL|SYS_ADMIN)\b/i.test(line)) return { option: 'cap-add' };
        if (/--security-opt[=\s]+(?:apparmor|seccomp)[=:]unconfined/.test(line))
          return { option: 'unconfined' };
        if (
          /--pid[=\s]+host/.test(line) &&
          /(?:-v|--volume|--mount)[=\s]+(?:type=bind,source=)?\/:/.test(line)
        )
          return { option: 'host pid + root bind' };
        return undefined;
      }
      if (
        isNamed(p, ['kubectl']) &&
        (a.includes('run') || a.includes('debug')) &&
        (/--privileged\b/.test(line) ||
          /"privileged"\s*:\s*true/.test(line) ||
          /--profile[=\s]+sysadmin/.test(line))
      )
        return { option: 'kubectl privileged' };
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-30',
      title: 'Container image built on a node',
      severity: 'Info',
      tactic: 'Defense Evasion',
      technique: 'T1612 Build Image on Host',
      defender: ['K8S.NODE_ImageBuildOnNode'],
      remediation: 'Build images in CI, not on cluster nodes.',
    },
    (p) => {
      const a = p.argv;
      if (
        isNamed(p, ['docker', 'podman', 'nerdctl']) &&
        (a[1] === 'build' ||
          (a[1] === 'buildx' && a[2] === 'build') ||
          (a[1] === 'image' && a[2] === 'build'))
      )
        return { cmd: a.join(' ') };
      if (isNamed(p, ['buildah']) && (a[1] === 'bud' || a[1] === 'build')) return { cmd: a.join(' ') };
      if (isNamed(p, ['executor']) && /kaniko/.test(p.exe ?? '')) return { cmd: a.join(' ') };
      if (isNamed(p, ['img']) && a[1] === 'build') return { cmd: a.join(' ') };
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-34',
      title: 'Burst of reconnaissance commands',
      severity: 'Low',
      tactic: 'Discovery',
      technique: 'T1082, T1033, T1016',
      defender: ['K8S.NODE_ReconnaissanceArtifactsBurst'],
      falco: ['Basic Interactive Reconnaissance'],
      remediation: 'Review the session that ran the commands.',
    },
    (p, e, ctx) => {
      const name = reconName(p);
      if (!name) return undefined;
      const scope = p.ses !== undefined && p.ses !== 4294967295 ? `ses ${p.ses}` : `ppid ${p.ppid}`;
      const distinct = ctx.distinct(`recon:${e.host ?? ''}:${scope}`, e.time, 60_000, name);
      return distinct.length >= 5 ? { evidence: { commands: distinct }, key: scope } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-35',
      title: 'Network scanning tool',
      severity: 'Medium',
      tactic: 'Discovery',
      technique: 'T1046 Network Service Discovery',
      falco: ['Launch Suspicious Network Tool in Container', 'Launch Suspicious Network Tool on Host'],
      remediation: 'Find who scanned which network, and whether it was sanctioned.',
    },
    (p, _e, ctx) => {
      const tool = isNamed(p, ctx.list('scanners'));
      if (tool) return { evidence: { tool }, key: tool };
      if (isNamed(p, ['fping']) && p.argv.includes('-g')) return { evidence: { tool: 'fping -g' } };
      if (
        isNamed(p, ['nc', 'ncat', 'netcat']) &&
        p.argv.some((a) => /^-[a-zA-Z]*z/.test(a)) &&
        p.argv.some((a) => /^\d+-\d+$/.test(a))
      )
        return { evidence: { tool: 'nc -z' } };
      return undefined;
    },
  ),
  toolRule('RT-HOST-36', 'Known attack or pentest tool', 'attack_tools', {
    tactic: 'Lateral Movement, Discovery',
    technique: 'T1588.002 Tool',
    defender: ['K8S.NODE_KnownLinuxAttackTool'],
  }),
  toolRule('RT-HOST-37', 'Credential-access tool', 'credential_tools', {
    tactic: 'Credential Access',
    technique: 'T1003 OS Credential Dumping',
    defender: ['K8S.NODE_KnownLinuxCredentialAccessTool'],
    remediation: 'Rotate credentials on the host and find who ran the tool.',
  }),
  auditRule(
    {
      id: 'RT-HOST-38',
      title: 'DDoS toolkit indicators',
      severity: 'Medium',
      tactic: 'Impact',
      technique: 'T1498 Network Denial of Service',
      defender: ['K8S.NODE_KnownLinuxDDoSToolkit'],
      remediation: 'Isolate the host, remove the toolkit and its persistence, rotate credentials.',
    },
    (e, ctx) => {
      const iocs = ctx.list('ddos_indicators');
      const hit = (s: string) =>
        iocs.find((i) =>
          i.startsWith('/') ? s === i || s.startsWith(`${i}/`) : basename(s).toLowerCase() === i,
        );
      const p = execOf(e);
      if (p) {
        const m = [p.exe ?? '', p.argv[0] ?? ''].map(hit).find(Boolean);
        return m ? { evidence: { indicator: m } } : undefined;
      }
      if (e.kind !== 'file') return undefined;
      const created = (e.paths ?? []).filter((x) => x.nametype === 'CREATE').map((x) => x.name);
      const m = created.map(hit).find(Boolean);
      return m ? { evidence: { indicator: m } } : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-39',
      title: 'Linux bot behaviour',
      severity: 'Medium',
      tactic: 'Command and Control, Persistence',
      technique: 'T1071; T1053.003',
      defender: ['K8S.NODE_CommonBot'],
      remediation: 'Isolate the host and remove the bot and its cron/chattr persistence.',
    },
    (e, ctx) => {
      const p = execOf(e);
      if (!p) return undefined;
      const iocs = ctx.list('bot_indicators');
      const m = iocs.find((i) =>
        i.startsWith('/')
          ? (p.exe ?? '').startsWith(i) || (p.argv[0] ?? '').startsWith(i)
          : names(p).includes(i),
      );
      if (m) return { evidence: { indicator: m }, key: m };
      const step = isNamed(p, ctx.list('downloaders'))
        ? 'download'
        : isNamed(p, ['crontab'])
          ? 'cron'
          : isNamed(p, ['chattr'])
            ? 'chattr'
            : undefined;
      if (!step || p.ses === undefined || p.ses === 4294967295) return undefined;
      const steps = ctx.distinct(`bot:${e.host ?? ''}:${p.ses}`, e.time, 5 * 60_000, step);
      return steps.length === 3 ? { evidence: { chain: steps }, key: `ses ${p.ses}` } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-40',
      title: 'MITRE Caldera agent',
      severity: 'Medium',
      tactic: 'Command and Control',
      technique: 'T1071.001 Web Protocols',
      defender: ['K8S.NODE_MitreCalderaTools'],
      remediation: 'If no red-team exercise runs, treat the host as compromised.',
    },
    (p) => {
      const line = p.argv.join(' ');
      if (/-server\s+https?:\/\//.test(line) && /\s-group\s/.test(line)) return { agent: names(p)[0] };
      if (isNamed(p, ['sandcat', '54ndc47', 'sandcat.go'])) return { agent: names(p)[0] };
      if (isNamed(p, ['curl']) && /file:\s*sandcat\.go/.test(line) && /\/file\/download/.test(line))
        return { agent: 'sandcat download' };
      return undefined;
    },
  ),
  toolRule('RT-HOST-54', 'Proxyware or traffic monetiser', 'proxyware', {
    tactic: 'Impact',
    technique: 'T1496 Resource Hijacking',
    remediation: 'Remove the bandwidth-sharing client; it resells the host’s network.',
  }),
  auditRule(
    {
      id: 'RT-HOST-56',
      title: 'setuid program crashed (privilege-escalation attempt)',
      severity: 'Medium',
      tactic: 'Privilege Escalation',
      technique: 'T1068 Exploitation for Privilege Escalation',
      remediation: 'Patch the setuid program (e.g. glibc for CVE-2023-4911) and find who ran the exploit.',
    },
    (e, ctx) => {
      if (e.record?.type !== 'ANOM_ABEND') return undefined;
      const sig = Number(e.record.fields.sig);
      if (![4, 5, 6, 7, 11].includes(sig)) return undefined;
      const proc = ctx.process(Number(e.record.fields.pid), e.process?.host);
      if (proc?.euid !== 0 || proc.uid === undefined || proc.uid === 0) return undefined;
      return { evidence: { program: proc.exe, signal: sig, uid: proc.uid }, key: proc.exe ?? '' };
    },
  ),
  execRule(
    {
      id: 'RT-HOST-57',
      title: 'Bulk file deletion',
      severity: 'Low',
      tactic: 'Impact, Defense Evasion',
      technique: 'T1485 Data Destruction; T1070.004',
      falco: ['Remove Bulk Data from Disk'],
      remediation: 'Check what was deleted and restore from backup if needed.',
    },
    (p, e, ctx) => {
      if (!isNamed(p, ['rm', 'unlink', 'shred']) || p.ppid === undefined) return undefined;
      const n = ctx.window(`rm:${e.host ?? ''}:${p.ppid}`, e.time, 10_000, p.pid).length;
      const parent = parentNamed(p, ctx, ctx.list('shells'), 1);
      return n >= 6
        ? { evidence: { deletions: n, parent: parent?.exe ?? p.ppid }, key: `ppid ${p.ppid}` }
        : undefined;
    },
  ),
];
