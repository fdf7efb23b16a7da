import type { RuleContext } from '../context.js';
import type { RuntimeEvent } from '../event.js';
import { hostOf } from '../intel.js';
import { auditRule, execRule } from './lib/define.js';
import {
  anyText,
  execOf,
  isLoopback,
  isNamed,
  isPublicHost,
  isPublicIp,
  textsLine,
  underAny,
  urlHosts,
  urls,
} from './lib/host.js';
import { chainStep, recordRef, refs, SYSCALL_ONLY } from './lib/records.js';
import type { Match, Rule } from './types.js';

/** List combinations rows ask the context for (ctx.union caches by these arrays). */
const SHELL_LISTS = ['shells'] as const;
const CHMOD = ['chmod'] as const;
const DOWNLOADER_LISTS = ['downloaders'] as const;
const DNS_TOOLS = ['dig', 'kdig'] as const;

const C2 = { tactic: 'Command and Control' };
const CONTAINER_FIX =
  'Restrict egress of the workload with a NetworkPolicy and review why it made this request.';

function downloader(p: Parameters<typeof isNamed>[0], lists: (n: string) => string[]): boolean {
  return (
    !!isNamed(p, lists('downloaders')) || (isNamed(p, ['busybox']) !== undefined && p.argv[1] === 'wget')
  );
}

/** A chmod mode argument that adds an execute bit (`chmod`/`fchmod` a1, `fchmodat` a2, hex). */
function addsExecBit(e: RuntimeEvent): boolean {
  const s = e.syscall;
  if (!s?.success) return false;
  const mode =
    s.name === 'fchmodat' ? s.a[2] : s.name === 'chmod' || s.name === 'fchmod' ? s.a[1] : undefined;
  return mode !== undefined && (Number.parseInt(mode, 16) & 0o111) !== 0;
}

/**
 * RT-HOST-12 on SYSCALL records alone (no argv to name the downloaded file): children of one parent run a
 * downloader, then chmod adding an execute bit, then a program from a temp directory — the parent itself may be
 * the one that runs it (a shell execs its last command). A compiler or build tool run by the same parent in the
 * window makes it a build, not a payload.
 */
function lineageDownloadExec(e: RuntimeEvent, ctx: RuleContext): Match | undefined {
  const p = e.process;
  if (!p || p.argv.length > 0 || p.ppid === undefined) return undefined;
  if (e.kind !== 'exec') {
    if (addsExecBit(e) && isNamed(p, ['chmod']))
      chainStep(ctx, `dlx:${e.host ?? ''}:${p.ppid}`, e, 60_000, 'chmod');
    return undefined;
  }
  if (!execOf(e)) return undefined;
  const parentKey = `dlx:${e.host ?? ''}:${p.ppid}`;
  if (downloader(p, (n) => ctx.list(n))) chainStep(ctx, parentKey, e, 60_000, 'download');
  else if (isNamed(p, ['chmod'])) chainStep(ctx, parentKey, e, 60_000, 'chmod');
  else if (isNamed(p, ctx.list('build_tools'))) chainStep(ctx, parentKey, e, 60_000, 'build');
  else if (underAny(p.exe, ctx.list('temp_dirs'))) {
    const steps = [
      ...chainStep(ctx, parentKey, e, 60_000),
      ...chainStep(ctx, `dlx:${e.host ?? ''}:${p.pid}`, e, 60_000),
    ];
    const has = (step: string) => steps.some((s) => s.step === step);
    if (!has('download') || !has('chmod') || has('build')) return undefined;
    const exe = p.exe ?? '';
    return {
      evidence: {
        file: exe,
        step: 'exec',
        basis: SYSCALL_ONLY,
        records: [...refs(steps.filter((s) => s.step !== 'build')), `exec: ${recordRef(e)}`],
      },
      key: exe.slice(exe.lastIndexOf('/') + 1),
    };
  }
  return undefined;
}

export const hostNetworkRules: Rule[] = [
  {
    ...auditRule(
      {
        id: 'RT-HOST-09',
        title: 'Connection to a threat-intel address',
        severity: 'High',
        ...C2,
        technique: 'T1071 Application Layer Protocol',
        defender: ['K8S.NODE_ThreatIntelCommandLineSuspectDomain'],
        remediation: 'Block the address, find the process and how it learned the address.',
      },
      (e, ctx) => {
        if (e.kind === 'connect') {
          const hit = ctx.intel.ip(e.socket?.addr);
          return hit
            ? {
                evidence: {
                  destination: `${e.socket?.addr}:${e.socket?.port}`,
                  feed: hit.feed,
                  indicator: hit.indicator,
                },
                key: e.socket?.addr ?? '',
              }
            : undefined;
        }
        const p = execOf(e);
        if (!p || ctx.intel.size === 0) return undefined;
        const hit = ctx.intel.text(textsLine(p, ctx));
        return hit
          ? { evidence: { feed: hit.feed, indicator: hit.indicator }, key: hit.indicator }
          : undefined;
      },
    ),
    cmdline: true,
  },
  {
    ...execRule(
      {
        id: 'RT-HOST-10',
        title: 'Download from a threat-intel source',
        severity: 'High',
        ...C2,
        technique: 'T1105 Ingress Tool Transfer',
        defender: ['K8S.NODE_SuspectDownload'],
        remediation: 'Delete what was downloaded, block the source and find what started the download.',
        cmdline: true,
      },
      (p, _e, ctx) => {
        if (!downloader(p, (n) => ctx.list(n))) return undefined;
        for (const host of urlHosts(p.argv.join(' '))) {
          const hit = ctx.intel.ip(host) ?? ctx.intel.domain(host);
          if (hit) return { evidence: { host, feed: hit.feed }, key: host };
        }
        return undefined;
      },
    ),
  },
  {
    ...execRule(
      {
        id: 'RT-HOST-11',
        title: 'Suspicious download',
        severity: 'Low',
        ...C2,
        technique: 'T1105 Ingress Tool Transfer',
        defender: ['K8S.NODE_SuspectDownloadArtifacts'],
        falco: ['Launch Ingress Remote File Copy Tools in Container'],
        remediation:
          'Check what was downloaded and why; containers should not fetch executables at run time.',
        cmdline: true,
      },
      (p, _e, ctx) => {
        const line = textsLine(p, ctx);
        if (/\b(?:curl|wget)\b[^|]*\|\s*(?:sudo\s+)?(?:ba|da|z)?sh\b/.test(line)) return { piped: true };
        if (!downloader(p, (n) => ctx.list(n))) return undefined;
        for (const host of urlHosts(p.argv.join(' '))) {
          if (isPublicIp(host)) return { reason: 'raw IP', host };
          if (ctx.list('paste_sites').some((s) => host === s || host.endsWith(`.${s}`)))
            return { reason: 'paste site', host };
        }
        const out = p.argv.find((_a, i) =>
          ['-o', '-O', '--output', '--output-document', '-P'].includes(p.argv[i - 1] ?? ''),
        );
        if (
          out &&
          (ctx.list('temp_dirs').some((d) => out.startsWith(`${d}/`)) || /(?:^|\/)\.[^./]/.test(out))
        )
          return { reason: 'temp or hidden output', output: out };
        return undefined;
      },
    ),
  },
  {
    ...auditRule(
      {
        id: 'RT-HOST-12',
        title: 'Download then execute',
        severity: 'High',
        tactic: 'Execution, Command and Control',
        technique: 'T1059.004 Unix Shell; T1105',
        defender: ['K8S.NODE_DownloadAndRunCombo', 'K8S.NODE_LinuxBackdoorArtifact'],
        falco: ['Drop and execute new binary in container'],
        remediation: 'Recover the downloaded file for analysis, remove it and block the source.',
      },
      (e, ctx) => {
        const p = execOf(e);
        if (!p) return lineageDownloadExec(e, ctx);
        if (p.argv.length === 0) return lineageDownloadExec(e, ctx);
        const line = textsLine(p, ctx);
        if (/\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:ba|da|z)?sh\b/.test(line))
          return { evidence: { script: line.slice(0, 300) } };
        if (
          /\b(?:curl|wget)\b[^;&|]*\s-[oO]\s*(\S+)[\s\S]*chmod\s+\+?[0-7]*x?\S*\s+\S+[\s\S]*(?:&&|;)\s*\.?\//.test(
            line,
          )
        )
          return { evidence: { script: line.slice(0, 300) } };
        // stateful: a download writing P, then chmod +x P or exec of P, by one session within 60 s
        const session = `${e.host ?? ''}:${p.ses ?? p.ppid}`;
        if (isNamed(p, ctx.list('downloaders'))) {
          const out = p.argv.find((_a, i) =>
            ['-o', '-O', '--output', '--output-document'].includes(p.argv[i - 1] ?? ''),
          );
          const target = out ?? urls(p.argv.join(' ')).map((u) => u.slice(u.lastIndexOf('/') + 1))[0];
          if (target) {
            const path = target.startsWith('/') ? target : `${p.cwd ?? ''}/${target}`.replace(/\/\.\//g, '/');
            ctx.distinct(`dl:${session}`, e.time, 60_000, path);
          }
          return undefined;
        }
        const downloads = ctx.distinct<string>(`dl:${session}`, e.time, 60_000);
        if (downloads.length === 0) return undefined;
        const base = (x: string) => x.slice(x.lastIndexOf('/') + 1);
        if (isNamed(p, ['chmod']) && p.argv.some((a) => /\+x|^[0-7]*[1357]$/.test(a))) {
          const f = p.argv.slice(1).find((a) => downloads.some((d) => d && base(d) === base(a)));
          if (f) return { evidence: { file: f, step: 'chmod' }, key: base(f) };
        }
        const exe = p.exe ?? p.argv[0] ?? '';
        if (downloads.some((d) => d && base(d) === base(exe) && !isNamed(p, ctx.union(SHELL_LISTS, CHMOD))))
          return { evidence: { file: exe, step: 'exec' }, key: base(exe) };
        return undefined;
      },
    ),
  },
  auditRule(
    {
      id: 'RT-HOST-31',
      title: 'Cloud metadata service accessed from a container',
      severity: 'Medium',
      tactic: 'Credential Access',
      technique: 'T1552.005 Cloud Instance Metadata API',
      defender: ['K8S.NODE_ImdsCall'],
      falco: ['Contact cloud metadata service from container'],
      remediation:
        'Block 169.254.169.254 for pods (NetworkPolicy, IMDSv2 hop limit 1) unless the workload needs it.',
    },
    (e, ctx) => {
      if (!e.process?.container) return undefined;
      const meta = ctx.list('metadata_addresses');
      if (e.kind === 'connect' && meta.includes(e.socket?.addr ?? ''))
        return { evidence: { destination: `${e.socket?.addr}:${e.socket?.port}` } };
      const p = execOf(e);
      if (p && isNamed(p, ctx.list('downloaders'))) {
        const host = urlHosts(p.argv.join(' ')).find(
          (h) => meta.includes(h) || h === 'metadata.google.internal',
        );
        if (host) return { evidence: { url: urls(p.argv.join(' '))[0] } };
      }
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-32',
      title: 'Kubernetes API contacted from a container',
      severity: 'Medium',
      tactic: 'Discovery, Credential Access',
      technique: 'T1613; T1552.007',
      defender: ['K8S.NODE_KubernetesAPI'],
      falco: ['Contact K8S API Server From Container', 'Kubernetes Client Tool Launched in Container'],
      remediation: CONTAINER_FIX,
    },
    (e, ctx) => {
      if (!e.process?.container) return undefined;
      if (e.kind === 'connect' && e.socket?.addr) {
        const api = ctx.list('api_server_addresses');
        const dest = `${e.socket.addr}:${e.socket.port}`;
        if (api.includes(dest) || api.includes(e.socket.addr) || e.socket.port === 6443)
          return { evidence: { destination: dest } };
        return undefined;
      }
      const p = execOf(e);
      if (!p) return undefined;
      if (isNamed(p, ['kubectl'])) return { evidence: { tool: 'kubectl' } };
      const line = textsLine(p, ctx);
      return isNamed(p, ctx.list('downloaders')) && /https?:\/\/kubernetes\.default/.test(line)
        ? { evidence: { url: urls(line)[0] } }
        : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-33',
      title: 'Kubernetes dashboard contacted from a container',
      severity: 'Medium',
      tactic: 'Discovery, Lateral Movement',
      technique: 'T1613',
      defender: ['K8S.NODE_KubernetesDashboard'],
      remediation: CONTAINER_FIX,
    },
    (e, ctx) => {
      if (!e.process?.container) return undefined;
      if (e.kind === 'connect' && e.socket?.addr) {
        const dash = ctx.list('dashboard_addresses');
        const dest = `${e.socket.addr}:${e.socket.port}`;
        return dash.includes(dest) || dash.includes(e.socket.addr)
          ? { evidence: { destination: dest } }
          : undefined;
      }
      const p = execOf(e);
      if (!p || !isNamed(p, ctx.list('downloaders'))) return undefined;
      const u = urls(p.argv.join(' ')).find((x) => x.includes('kubernetes-dashboard'));
      return u ? { evidence: { url: u } } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-42',
      title: 'Port forwarding to an external address',
      severity: 'Medium',
      ...C2,
      technique: 'T1572 Protocol Tunneling',
      defender: ['K8S.NODE_SuspectPortForwarding'],
      remediation: 'Stop the tunnel and find what it exposed and to whom.',
    },
    (p) => {
      const argv = p.argv;
      if (isNamed(p, ['ssh']) && argv.some((a) => /^-[LRD]/.test(a))) {
        const host = argv
          .slice(1)
          .filter((a) => !a.startsWith('-'))
          .map((a) => hostOf(a))
          .find((h) => isPublicHost(h));
        if (host) return { tool: 'ssh', remote: host };
      }
      const line = argv.join(' ');
      if (isNamed(p, ['socat'])) {
        const m = /TCP[46]?:([^:,\s]+):\d+/i.exec(line);
        if (/TCP[46]?-LISTEN/i.test(line) && m && isPublicHost(m[1]!)) return { tool: 'socat', remote: m[1] };
      }
      if (isNamed(p, ['rinetd', 'redir', 'gost', 'chisel', 'frpc', 'ngrok'])) {
        const host = line
          .split(/\s+/)
          .slice(1)
          .map((a) => hostOf(a.replace(/^[^=]*=/, '')))
          .find((h) => isPublicHost(h) && h.includes('.'));
        if (host || isNamed(p, ['ngrok'])) return { tool: p.argv[0], remote: host ?? 'ngrok' };
      }
      if (isNamed(p, ['iptables', 'ip6tables']) && /-t\s+nat/.test(line) && /DNAT/.test(line)) {
        const m = /--to-destination\s+([^:\s]+)/.exec(line);
        if (m && isPublicIp(m[1])) return { tool: 'iptables', remote: m[1] };
      }
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-43',
      title: 'SOCKS proxy or uncommon proxy connection',
      severity: 'Medium',
      ...C2,
      technique: 'T1090 Proxy',
      defender: ['K8S.NODE_SuspectConnection'],
      remediation: 'Find why the process tunnels traffic through a proxy.',
    },
    (e, ctx) => {
      if (e.kind === 'connect' && e.socket?.addr) {
        const { addr, port } = e.socket;
        return !isLoopback(addr) && [1080, 9050, 9150].includes(port ?? 0) && isPublicIp(addr)
          ? { evidence: { destination: `${addr}:${port}` }, key: addr }
          : undefined;
      }
      const p = execOf(e);
      if (!p) return undefined;
      if (isNamed(p, ['proxychains', 'proxychains4', 'tor', 'microsocks', '3proxy']))
        return { evidence: { tool: p.argv[0] } };
      const socks = anyText(p, ctx, /--socks[45]h?\b|(?:-x|--proxy)\s+socks[45]h?:\/\/|\bsocks5:\/\//);
      if (socks) return { evidence: { option: socks } };
      if (isNamed(p, ['ssh']) && p.argv.some((a) => a.startsWith('-D')))
        return { evidence: { option: '-D' } };
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-44',
      title: 'DNS over HTTPS from the command line',
      severity: 'Low',
      ...C2,
      technique: 'T1071.004 DNS, T1572',
      defender: ['K8S.NODE_SuspiciousDNSOverHttps'],
      remediation: 'Check why the process resolves names outside the cluster resolver.',
    },
    (p, _e, ctx) => {
      if (!isNamed(p, ctx.union(DOWNLOADER_LISTS, DNS_TOOLS))) return undefined;
      const line = p.argv.join(' ');
      const resolver = ctx.list('doh_resolvers').find((r) => line.includes(r));
      if (resolver) return { resolver };
      if (
        /application\/dns-(?:json|message)/i.test(line) ||
        (isNamed(p, ['dig', 'kdig']) && /\+https\b/.test(line))
      )
        return { option: 'DoH' };
      return undefined;
    },
  ),
  {
    ...execRule(
      {
        id: 'RT-HOST-53',
        title: 'Out-of-band interaction domain used',
        severity: 'Medium',
        tactic: 'Command and Control, Exfiltration',
        technique: 'T1071; T1567',
        remediation: 'An OAST callback usually confirms an injection: find the vulnerable input.',
        cmdline: true,
      },
      (p, _e, ctx) => {
        const line = textsLine(p, ctx).toLowerCase();
        const domains = ctx.list('oast_domains');
        // one compiled test of every domain first: nearly every command line names none
        if (!domainPatterns(domains).any.test(line)) return undefined;
        const d = domains.find((_x, i) => domainPatterns(domains).each[i]!.test(line));
        return d ? { evidence: { domain: d }, key: d } : undefined;
      },
    ),
  },
];

/** The patterns of a domain list, compiled once per list (the context hands the same array each time). */
const compiledDomains = new WeakMap<readonly string[], { any: RegExp; each: RegExp[] }>();

function domainPatterns(domains: readonly string[]): { any: RegExp; each: RegExp[] } {
  let compiled = compiledDomains.get(domains);
  if (!compiled) {
    const bodies = domains.map((x) => x.replace(/\./g, '\\.'));
    compiled = {
      any: new RegExp(`(?:^|[.\\s/@'"])(?:${bodies.join('|') || '(?!)'})\\b`),
      each: bodies.map((b) => new RegExp(`(?:^|[.\\s/@'"])${b}\\b`)),
    };
    compiledDomains.set(domains, compiled);
  }
  return compiled;
}
