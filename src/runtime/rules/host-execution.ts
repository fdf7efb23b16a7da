import type { RuleContext } from '../context.js';
import type { RuntimeEvent } from '../event.js';
import { auditRule, execRule } from './lib/define.js';
import {
  anyText,
  basename,
  execOf,
  fileAccess,
  hiddenDir,
  isLoopback,
  isNamed,
  names,
  parentNamed,
  parents,
  resolvePath,
  textsLine,
  touched,
  underAny,
} from './lib/host.js';
import { chainStep, recordRef, refs, SYSCALL_ONLY } from './lib/records.js';
import type { Match, Rule } from './types.js';

/** List combinations rows ask the context for (ctx.union caches by these arrays). */
const SPAWNED_TOOL_LISTS = ['shells', 'recon_commands', 'downloaders'] as const;
const SERVICE_LISTS = ['web_servers', 'database_servers'] as const;
const JAVA = ['java'] as const;
const SCRIPT_RUNNER_LISTS = ['shells', 'interpreters'] as const;

const SHELL_T = 'T1059.004 Unix Shell';

const REVERSE_SHELL = [
  /\b(?:ba|z|da|k)?sh\b[^|;&]*-i\b[^|;&]*[<>]&?\s*\/dev\/(?:tcp|udp)\//,
  /\/dev\/(?:tcp|udp)\/[^\s/]+\/\d+[^|;&]*(?:0>&1|<&|>&)/,
  /\b(?:nc|ncat|netcat)\b[^|;&]*\s-[a-z]*[ec]\s*\S*\b(?:sh|bash|dash|zsh|ash)\b/,
  /\bsocat\b[^|;&]*(?:exec|system):[^|;&]*tcp[46]?:/i,
  /\bsocat\b[^|;&]*tcp[46]?:[^|;&]*(?:exec|system):/i,
  /\b(?:python[\d.]*|perl|ruby|php)\b.*socket.*(?:dup2|pty\.spawn|subprocess|exec)/,
];

const EXPLOIT = [
  /\$\{jndi:(?:ldap|ldaps|rmi|dns)/i,
  /\(\)\s*\{\s*:\s*;\s*\}\s*;/,
  /\$\{IFS\}/,
  /\$\((?:curl|wget)\b/,
  /child_process/,
];

/** `connect` address lengths of IPv4 and IPv6 socket addresses (hex, as auditd logs a2). */
const INET_ADDRLEN = new Set(['10', '1c']);

/**
 * RT-HOST-02 on SYSCALL records alone (a connect without its SOCKADDR record): a shell process connecting to an
 * IPv4/IPv6 address, or a process that connected and then replaced itself with a shell (`exec sh` after
 * `socket.connect`, `bash -i >& /dev/tcp/…` set up before the exec). The destination is not logged.
 */
function lineageReverseShell(e: RuntimeEvent, ctx: RuleContext): Match | undefined {
  const p = e.process;
  if (!p) return undefined;
  const s = e.syscall;
  if (e.kind === 'syscall' && s?.name === 'connect' && INET_ADDRLEN.has(s.a[2] ?? '')) {
    if (!s.success && s.exit !== -115) return undefined; // EINPROGRESS: a non-blocking connect under way
    chainStep(ctx, `rsh:${e.host ?? ''}:${p.pid}`, e, 10_000, 'connect');
    if (!isNamed(p, ctx.list('shells'))) return undefined;
    return {
      evidence: {
        destination: 'not logged (no SOCKADDR record)',
        basis: SYSCALL_ONLY,
        records: [`connect: ${recordRef(e)}`],
      },
      key: `pid ${p.pid}`,
    };
  }
  if (!execOf(e) || p.argv.length > 0 || !isNamed(p, ctx.list('shells'))) return undefined;
  const connects = chainStep(ctx, `rsh:${e.host ?? ''}:${p.pid}`, e, 10_000);
  if (connects.length === 0) return undefined;
  return {
    evidence: {
      destination: 'not logged (no SOCKADDR record)',
      basis: SYSCALL_ONLY,
      records: [...refs(connects), `exec: ${recordRef(e)}`],
    },
    key: `pid ${p.pid}`,
  };
}

export const hostExecutionRules: Rule[] = [
  execRule(
    {
      id: 'RT-HOST-01',
      title: 'Web shell: web server spawns a shell or recon command',
      severity: 'High',
      tactic: 'Persistence',
      technique: 'T1505.003 Web Shell',
      defender: ['K8S.NODE_Webshell'],
      falco: ['Web Server Spawned Shell'],
      remediation:
        'Inspect the web root for uploaded scripts, patch the application and rebuild the container.',
    },
    (p, _e, ctx) => {
      const child = isNamed(p, ctx.union(SPAWNED_TOOL_LISTS));
      const scripted = isNamed(p, ctx.list('interpreters')) && p.argv.some((a) => a === '-c' || a === '-e');
      if (!child && !scripted) return undefined;
      if (p.argv.some((a) => /health/i.test(a))) return undefined;
      const web = parents(p, ctx).find(
        (a) =>
          (isNamed(a, ctx.list('web_servers')) &&
            (a.container !== undefined || !isNamed(a, ctx.list('container_only_web_runtimes')))) ||
          (isNamed(a, ['java']) && ctx.list('java_web_markers').some((m) => a.argv.join(' ').includes(m))),
      );
      return web ? { webServer: web.exe ?? web.argv[0], webServerPid: web.pid } : undefined;
    },
  ),
  {
    ...auditRule(
      {
        id: 'RT-HOST-02',
        title: 'Reverse shell',
        severity: 'High',
        tactic: 'Execution, Command and Control',
        technique: `${SHELL_T}; T1095 Non-Application Layer Protocol`,
        defender: ['K8S.NODE_ReverseShell'],
        falco: [
          'Redirect STDOUT/STDIN to Network Connection in Container',
          'Netcat Remote Code Execution in Container',
        ],
        remediation:
          'Kill the process, block the remote address and investigate how the command was started.',
      },
      (e, ctx) => {
        const p = execOf(e);
        if (p && p.argv.length > 0) {
          const hit = REVERSE_SHELL.map((re) => anyText(p, ctx, re)).find(Boolean);
          return hit ? { pattern: hit } : undefined;
        }
        // a shell process itself connecting out
        if (e.kind === 'connect' && e.process && isNamed(e.process, ctx.list('shells'))) {
          const s = e.socket;
          if ((s?.family === 'ipv4' || s?.family === 'ipv6') && !isLoopback(s.addr))
            return { evidence: { destination: `${s.addr}:${s.port}` }, key: `${s.addr}` };
        }
        return lineageReverseShell(e, ctx);
      },
    ),
    cmdline: true,
  },
  execRule(
    {
      id: 'RT-HOST-03',
      title: 'SSH server running in a container',
      severity: 'Low',
      tactic: 'Persistence, Lateral Movement',
      technique: 'T1021.004 Remote Services: SSH',
      defender: ['K8S.NODE_ContainerSSH'],
      remediation: 'Remove the SSH server from the image; use kubectl exec / docker exec for access.',
    },
    (p, _e, ctx) => {
      if (!p.container || !isNamed(p, ctx.list('ssh_servers'))) return undefined;
      if (p.argv.includes('-R')) return undefined; // per-connection re-exec
      if (!ctx.once(`sshd:${p.container}`)) return undefined;
      return { evidence: { container: p.container }, key: p.container };
    },
  ),
  execRule(
    {
      id: 'RT-HOST-41',
      title: 'Command-line exploitation attempt',
      severity: 'Medium',
      tactic: 'Initial Access',
      technique: 'T1190 Exploit Public-Facing Application',
      defender: ['K8S.NODE_ExploitAttempt'],
      remediation:
        'Patch the exposed service (Log4Shell, Shellshock, injection) and review its logs for the request.',
    },
    (p, _e, ctx) => {
      const service = parentNamed(p, ctx, ctx.union(SERVICE_LISTS, JAVA));
      if (!service) return undefined;
      const line = textsLine(p, ctx);
      let marker = EXPLOIT.map((re) => re.exec(line)?.[0]).find(Boolean);
      if (!marker && !isNamed(p, ctx.list('shells')) && p.argv.slice(1).some((a) => /`[^`]+`/.test(a)))
        marker = 'backticks in arguments';
      if (!marker && /trufflehog/.test(line) && /webhook/.test(line)) marker = 'trufflehog to webhook';
      return marker ? { marker, parent: service.exe } : undefined;
    },
  ),
  {
    ...execRule(
      {
        id: 'RT-HOST-46',
        title: 'Decoded payload executed',
        severity: 'Medium',
        tactic: 'Defense Evasion',
        technique: 'T1140 Deobfuscate/Decode Files or Information, T1027',
        remediation: 'Decode the payload from the command line, find what it did and where it came from.',
        cmdline: true,
      },
      (p, e, ctx) => {
        const interpreters = ctx.union(SCRIPT_RUNNER_LISTS);
        const line = textsLine(p, ctx);
        if (
          /(?:base64\s+(?:-d|--decode|-D)|openssl\s+enc\s+-d[^|]*-base64|xxd\s+-r)[^|]*\|\s*(?:sudo\s+)?(\S+)/.test(
            line,
          )
        ) {
          const m = /\|\s*(?:sudo\s+)?(\S+)/.exec(line.slice(line.search(/base64|openssl|xxd/)));
          if (m && interpreters.includes(basename(m[1]).replace(/[0-9.]+$/, ''))) return { pipeline: line };
        }
        if (
          isNamed(p, interpreters) &&
          p.argv.some(
            (a, i) => (p.argv[i - 1] === '-e' || p.argv[i - 1] === '-c') && /[A-Za-z0-9+/=]{64,}/.test(a),
          )
        )
          return { blob: true };
        // decoder and interpreter started by the same parent within 2 s (a pipeline)
        if (p.ppid === undefined) return undefined;
        const argvKnown = p.argv.length > 0;
        const decoder =
          isNamed(p, ['base64']) &&
          (!argvKnown || p.argv.some((a) => a === '-d' || a === '--decode' || a === '-D'))
            ? 'decoder'
            : isNamed(p, ['xxd']) && (!argvKnown || p.argv.includes('-r'))
              ? 'decoder'
              : isNamed(p, interpreters) && !isNamed(p, ['busybox'])
                ? 'interpreter'
                : undefined;
        if (!decoder) return undefined;
        const seen = ctx.distinct(
          `decode:${e.host ?? ''}:${p.ppid}`,
          e.time,
          2000,
          `${decoder}:${names(p)[0]}`,
        );
        if (seen.some((s) => s.startsWith('decoder:')) && seen.some((s) => s.startsWith('interpreter:')))
          return {
            evidence: { parent: p.ppid, programs: [...new Set(seen.map((s) => s.split(':')[1]))] },
            key: `ppid ${p.ppid}`,
          };
        return undefined;
      },
    ),
  },
  execRule(
    {
      id: 'RT-HOST-51',
      title: 'Database server spawns a shell',
      severity: 'High',
      tactic: 'Execution, Initial Access',
      technique: `${SHELL_T}; T1190`,
      falco: ['DB program spawned process'],
      remediation:
        'Check the database for injected functions (COPY PROGRAM, UDFs, Lua scripts) and its exposure.',
    },
    (p, _e, ctx) => {
      const child = isNamed(p, ctx.union(SPAWNED_TOOL_LISTS));
      if (!child) return undefined;
      const db = parentNamed(p, ctx, ctx.list('database_servers'), 1);
      return db ? { database: db.exe ?? db.argv[0] } : undefined;
    },
  ),
  {
    ...execRule(
      {
        id: 'RT-HOST-52',
        title: 'Netcat or socat listener or relay',
        severity: 'Medium',
        tactic: 'Command and Control',
        technique: 'T1095 Non-Application Layer Protocol',
        falco: ['Netcat/Socat Remote Code Execution on Host'],
        remediation: 'Kill the listener and find who started it.',
        cmdline: true,
      },
      (p, _e, _ctx) => {
        if (!isNamed(p, ['nc', 'ncat', 'netcat', 'socat'])) return undefined;
        const opt = p.argv
          .slice(1)
          .find(
            (a) => /^-[a-zA-Z]*[lec]/.test(a) || /^(?:exec|system):/i.test(a) || /TCP[46]?-LISTEN/i.test(a),
          );
        return opt ? { option: opt } : undefined;
      },
    ),
  },
  {
    ...execRule(
      {
        id: 'RT-HOST-55',
        title: 'Suspicious PHP execution',
        severity: 'Medium',
        tactic: 'Execution, Persistence',
        technique: 'T1059 Command and Scripting Interpreter; T1505.003',
        remediation: 'Inspect the PHP code or script and the web application that ran it.',
        cmdline: true,
      },
      (p, _e, ctx) => {
        if (!isNamed(p, ['php', 'php-cgi'])) return undefined;
        const i = p.argv.indexOf('-r');
        const code = i >= 0 ? (p.argv[i + 1] ?? '') : '';
        if (/\b(?:system|exec|shell_exec|passthru|base64_decode|fsockopen|popen|proc_open)\s*\(/.test(code))
          return { code };
        const script = p.argv.slice(1).find((a) => a.endsWith('.php'));
        if (
          script &&
          /\/(?:uploads?|tmp|temp)\//.test(resolvePath(script, p.cwd)) &&
          parentNamed(p, ctx, ctx.list('web_servers'))
        )
          return { script };
        return undefined;
      },
    ),
  },
  execRule(
    {
      id: 'RT-HOST-58',
      title: 'Program executed from a temp or shared-memory directory',
      severity: 'Medium',
      tactic: 'Defense Evasion, Execution',
      technique: 'T1036 Masquerading; T1059',
      defender: ['K8S.NODE_SuspectExecutablePath'],
      falco: ['Execution from /dev/shm'],
      remediation: 'Find what dropped the program in the temp directory; mount temp directories noexec.',
    },
    (p, e, ctx) => {
      const temp = ctx.list('temp_dirs');
      const bad = (path: string | undefined) =>
        underAny(path, temp) || (path?.startsWith('/') === true && hiddenDir(path) && underAny(path, temp));
      if (bad(p.exe)) return { path: p.exe };
      // `sh -c TEXT`, `perl -e TEXT`, `python -m MODULE`: the argument is code or a module, not a script file
      if (
        isNamed(p, ctx.union(SCRIPT_RUNNER_LISTS)) &&
        !p.argv.some((a) => a === '-m' || /^-[a-zA-Z]*[ce]$/.test(a))
      ) {
        const script = p.argv.slice(1).find((a) => !a.startsWith('-'));
        if (script?.startsWith('/') && bad(script)) return { path: script };
        if (script && p.cwd && bad(resolvePath(script, p.cwd))) return { path: resolvePath(script, p.cwd) };
      }
      const item0 = e.paths?.[0]?.name;
      if (item0 && p.cwd && !item0.startsWith('/') && bad(resolvePath(item0, p.cwd)))
        return { path: resolvePath(item0, p.cwd) };
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-59',
      title: 'Binary drift in a container (partial)',
      severity: 'High',
      tactic: 'Execution, Defense Evasion',
      technique: 'T1059; T1036',
      falco: ['Drop and execute new binary in container', 'Container Drift Detected (chmod / open+create)'],
      remediation:
        'Containers should run only what the image holds: rebuild instead of changing files at run time.',
    },
    (e, ctx) => {
      const p = e.process;
      if (!p?.container) return undefined;
      if (e.kind === 'file' && fileAccess(e) === 'write') {
        for (const path of touched(e)) ctx.once(`drift:${p.container}:${path}`);
        return undefined;
      }
      if (e.kind === 'exec' && e.syscall?.success !== false) {
        const path = p.exe ?? '';
        if (path && ctx.seen(`drift:${p.container}:${path}`)) return { evidence: { path }, key: path };
      }
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-60',
      title: 'Test alert for the workload pipeline (not a threat)',
      severity: 'Info',
      tactic: 'None',
      defender: ['K8S.NODE_EICAR'],
      remediation: 'Nothing to fix: this program exists to test that alerts reach you.',
    },
    (p) => (names(p).includes('asc_alerttest_662jfi039n') ? {} : undefined),
  ),
  execRule(
    {
      id: 'RT-HOST-61',
      title: 'Root shell from a setuid binary',
      severity: 'High',
      tactic: 'Privilege Escalation',
      technique: 'T1548.001 Setuid and Setgid',
      falco: ['Non sudo setuid'],
      remediation:
        'Find setuid copies of shells (find / -perm -4000) and remove them; check how it was created.',
    },
    (p, _e, ctx) => {
      if (!isNamed(p, ctx.list('shells')) || p.euid !== 0 || p.uid === undefined || p.uid === 0)
        return undefined;
      if (parentNamed(p, ctx, ctx.list('setuid_parents'), 1)) return undefined;
      return { euid: p.euid };
    },
  ),
];
