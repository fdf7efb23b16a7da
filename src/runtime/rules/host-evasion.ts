import type { ProcessInfo, RuntimeEvent } from '../event.js';
import { auditRule, execRule } from './lib/define.js';
import {
  anyText,
  execOf,
  fileAccess,
  hiddenDir,
  isNamed,
  isUnlinkOrTruncate,
  syscallWrites,
  touched,
  underAny,
} from './lib/host.js';
import { keysOf, recordRef, SYSCALL_ONLY } from './lib/records.js';
import type { Match, Rule } from './types.js';

const EVADE = { tactic: 'Defense Evasion' };
const HISTORY_SCRIPT =
  /history\s+-c\b|HISTFILE=\/dev\/null|unset\s+HISTFILE|set\s+\+o\s+history|HISTSIZE=0\b/;
const PROFILE =
  /^(?:\/etc\/profile|\/etc\/profile\.d\/.+|\/etc\/bash\.bashrc|\/(?:root|home\/[^/]+)\/\.(?:bashrc|bash_profile|profile|zshrc))$/;
const CRON =
  /^(?:\/etc\/crontab|\/etc\/cron\.d\/.+|\/etc\/cron\.(?:hourly|daily|weekly|monthly)\/.+|\/var\/spool\/cron\/.+)$/;

/**
 * A write to a watched path logged without its PATH record: the audit rule's key names what is watched
 * (`-w /etc/cron.d -p wa -k bulkhead -k cron`), so the alert cites the key and the record instead of a path.
 */
function watchedWithoutPath(e: RuntimeEvent, keys: string[]): Match | undefined {
  const key = keysOf(e.process).find((k) => keys.includes(k));
  if (!key) return undefined;
  return {
    evidence: {
      watchKey: key,
      syscall: e.syscall?.name,
      path: 'not logged (no PATH record)',
      basis: SYSCALL_ONLY,
      records: [`write: ${recordRef(e)}`],
    },
    key,
  };
}

export const hostEvasionRules: Rule[] = [
  auditRule(
    {
      id: 'RT-HOST-13',
      title: 'Command history cleared or disabled',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1070.003 Clear Command History, T1562.003',
      defender: ['K8S.NODE_HistoryFileCleared'],
      falco: ['Delete or rename shell history'],
      remediation: 'Someone hid their commands: review the session (auid, tty) and what it did before.',
    },
    (e, ctx) => {
      const hist = ctx.list('history_files');
      const isHist = (x: string) => hist.some((h) => x === h || x.endsWith(`/${h}`));
      const p = execOf(e);
      if (p) {
        const script = anyText(p, ctx, HISTORY_SCRIPT);
        if (script) return { evidence: { script } };
        if (isNamed(p, ['rm', 'shred', 'truncate', 'unlink', 'cp', 'ln', 'mv'])) {
          const f = p.argv.slice(1).find(isHist);
          if (f && (!isNamed(p, ['cp', 'ln']) || p.argv.includes('/dev/null')))
            return { evidence: { path: f } };
        }
        const redirect = anyText(
          p,
          ctx,
          /(?:^|[\s;&|])(?:>|cat\s+\/dev\/null\s*>)\s*\S*\.(?:bash|zsh|ash|sh|python|mysql)_history\b/,
        );
        return redirect ? { evidence: { script: redirect } } : undefined;
      }
      if (e.kind !== 'file' || !isUnlinkOrTruncate(e)) return undefined;
      const path = touched(e).find(isHist);
      if (!path || isNamed(e.process ?? { argv: [] }, ctx.list('shells'))) return undefined;
      return { evidence: { path, syscall: e.syscall?.name } };
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-14',
      title: 'System log tampering',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1070.002 Clear Linux or Mac System Logs',
      defender: ['K8S.NODE_SystemLogRemoval'],
      falco: ['Clear Log Activities'],
      remediation: 'Restore logs from the central log store and review the session that removed them.',
    },
    (e, ctx) => {
      if (e.record?.type === 'CONFIG_CHANGE' && e.record.fields.audit_enabled === '0')
        return { evidence: { auditEnabled: 0 } };
      const p = execOf(e);
      if (p) {
        if (
          isNamed(p, ['rm', 'shred', 'truncate', 'unlink']) &&
          p.argv.slice(1).some((x) => x.startsWith('/var/log/'))
        )
          return { evidence: { path: p.argv.find((x) => x.startsWith('/var/log/')) } };
        if (isNamed(p, ['journalctl']) && p.argv.some((x) => x.startsWith('--vacuum-')))
          return { evidence: { option: 'vacuum' } };
        if (isNamed(p, ['auditctl']) && (p.argv.includes('-D') || p.argv.join(' ').includes('-e 0')))
          return { evidence: { auditctl: p.argv.join(' ') } };
        const r = anyText(p, ctx, /(?:^|[\s;&|])(?::\s*)?>\s*\/var\/log\/\S+/);
        return r ? { evidence: { script: r } } : undefined;
      }
      if ((e.kind !== 'file' && e.kind !== 'syscall') || !isUnlinkOrTruncate(e)) return undefined;
      if (
        isNamed(e.process ?? { argv: [] }, [
          'logrotate',
          'journald',
          'systemd-journald',
          'rsyslogd',
          'auditd',
        ])
      )
        return undefined;
      if (e.kind === 'syscall') return watchedWithoutPath(e, ctx.list('log_watch_keys'));
      const path = touched(e).find((x) => x.startsWith('/var/log/'));
      return path ? { evidence: { path, syscall: e.syscall?.name } } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-23',
      title: 'nohup of a hidden file in a temp directory',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1564.001 Hidden Files and Directories',
      defender: ['K8S.NODE_SuspectNohup'],
      remediation: 'Inspect and remove the hidden program; find what dropped it.',
    },
    (p, _e, ctx) => {
      if (!isNamed(p, ['nohup'])) return undefined;
      const target = p.argv.slice(1).find((a) => !a.startsWith('-'));
      if (!target || !underAny(target, ctx.list('temp_dirs'))) return undefined;
      const file = target.slice(target.lastIndexOf('/') + 1);
      return file.startsWith('.') || hiddenDir(target) ? { target } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-24',
      title: 'apt-daily-upgrade timer stopped',
      severity: 'Info',
      ...EVADE,
      technique: 'T1562.001 Disable or Modify Tools',
      defender: ['K8S.NODE_TimerServiceDisabled'],
      remediation: 'Re-enable automatic security updates unless they are managed another way.',
    },
    (p) => {
      if (!isNamed(p, ['systemctl'])) return undefined;
      const a = p.argv;
      return a.some((x) => ['stop', 'disable', 'mask'].includes(x)) &&
        a.some((x) => /^apt-daily(?:-upgrade)?\.timer$/.test(x))
        ? { unit: a.find((x) => x.includes('apt-daily')) }
        : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-25',
      title: 'Security tool stopped or disabled',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1562.001 Disable or Modify Tools',
      defender: ['K8S.NODE_SuspectProcessTermination'],
      remediation: 'Restart the security agent and find who stopped it.',
    },
    (e, ctx) => {
      const agents = ctx.list('security_agents');
      if (e.record?.type === 'CONFIG_CHANGE' && e.record.fields.audit_enabled === '0')
        return { evidence: { auditEnabled: 0 } };
      if (e.kind === 'syscall' && /^t?g?kill$/.test(e.syscall?.name ?? '')) {
        const target = ctx.process(Number.parseInt(e.syscall?.a[0] ?? '', 16), e.process?.host);
        if (target && isNamed(target, agents))
          return { evidence: { target: target.exe, targetPid: target.pid } };
        return undefined;
      }
      const p = execOf(e);
      if (!p) return undefined;
      const a = p.argv;
      const names = a.slice(1).map((x) => x.replace(/\.service$/, ''));
      const agent = names.find((x) => agents.includes(x));
      if (isNamed(p, ['kill', 'pkill', 'killall']) && agent) return { evidence: { agent } };
      if (
        isNamed(p, ['systemctl']) &&
        agent &&
        a.some((x) => ['stop', 'disable', 'mask', 'kill'].includes(x))
      )
        return { evidence: { agent } };
      if (isNamed(p, ['service']) && agent && a.includes('stop')) return { evidence: { agent } };
      if (isNamed(p, ['setenforce']) && (a[1] === '0' || a[1] === 'Permissive'))
        return { evidence: { selinux: 'permissive' } };
      if (isNamed(p, ['auditctl']) && a.join(' ').includes('-e 0'))
        return { evidence: { auditctl: a.join(' ') } };
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-26',
      title: 'Host firewall disabled',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1562.004 Disable or Modify System Firewall',
      defender: ['K8S.NODE_FirewallDisabled'],
      remediation: 'Restore the firewall rules and find who flushed them.',
    },
    (p) => {
      const a = p.argv;
      const line = a.join(' ');
      if (isNamed(p, ['iptables', 'ip6tables', 'iptables-legacy', 'iptables-nft'])) {
        if (a.some((x) => x === '-F' || x === '--flush' || x === '-X')) return { cmd: line };
        if (/-P\s+(?:INPUT|FORWARD|OUTPUT)\s+ACCEPT/.test(line)) return { cmd: line };
      }
      if (isNamed(p, ['nft']) && /flush\s+ruleset/.test(line)) return { cmd: line };
      if (isNamed(p, ['ufw']) && a.includes('disable')) return { cmd: line };
      if (
        isNamed(p, ['systemctl']) &&
        a.some((x) => ['stop', 'disable', 'mask'].includes(x)) &&
        a.some((x) => /^(?:firewalld|ufw|nftables)(?:\.service)?$/.test(x))
      )
        return { cmd: line };
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-27',
      title: 'File timestamp tampering',
      severity: 'Low',
      ...EVADE,
      technique: 'T1070.006 Timestomp',
      defender: ['K8S.NODE_TimestampTampering'],
      remediation: 'Compare the file with its package (dpkg -V, rpm -V) and find who changed it.',
    },
    (p) => {
      if (!isNamed(p, ['touch'])) return undefined;
      const a = p.argv;
      if (
        !a.some(
          (x) => /^(?:-r|--reference(?:=.*)?|-t|-d|--date(?:=.*)?)$/.test(x) || /^-[a-z]*[rtd]$/.test(x),
        )
      )
        return undefined;
      const target = a.slice(1).find((x) => /^\/(?:usr|bin|sbin|lib|lib64|etc|var\/www)\//.test(x));
      return target ? { target } : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-45',
      title: 'Dynamic-linker preload file accessed',
      severity: 'Medium',
      tactic: 'Persistence, Defense Evasion',
      technique: 'T1574.006 Dynamic Linker Hijacking',
      remediation: 'Check /etc/ld.so.preload: it should normally be absent or empty.',
    },
    (e, ctx) => {
      const p = execOf(e);
      if (p) {
        const s = anyText(p, ctx, />>?\s*\/etc\/ld\.so\.preload\b|tee\s+(?:-a\s+)?\/etc\/ld\.so\.preload\b/);
        return s ? { evidence: { script: s } } : undefined;
      }
      if (e.kind !== 'file' || !touched(e).includes('/etc/ld.so.preload')) return undefined;
      const access = fileAccess(e);
      if (access === 'write') return { evidence: { path: '/etc/ld.so.preload', access } };
      return e.process?.container ? { evidence: { path: '/etc/ld.so.preload', access } } : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-47',
      title: 'Cron job manipulation',
      severity: 'Medium',
      tactic: 'Persistence',
      technique: 'T1053.003 Cron',
      falco: ['Schedule Cron Jobs'],
      remediation: 'Review the cron tables for unknown jobs (crontab -l for every user, /etc/cron*).',
    },
    (e, ctx) => {
      const p = execOf(e);
      if (p) {
        const s = anyText(
          p,
          ctx,
          /(?:>>?|tee\s+(?:-a\s+)?)\s*(?:\/etc\/crontab|\/etc\/cron\.[a-z]+\/\S+|\/var\/spool\/cron\/\S+)/,
        );
        if (s)
          return {
            evidence: { script: s },
            ...(/curl|wget|base64/.test(s) ? { severity: 'High' as const } : {}),
          };
        if (!isNamed(p, ['crontab'])) return undefined;
        const a = p.argv.slice(1);
        const interactive = p.tty !== undefined && p.tty !== '(none)';
        if (a.includes('-r') || (!interactive && a.length > 0 && !a.includes('-l') && !a.includes('-e')))
          return { evidence: { cmd: p.argv.join(' ') } };
        return undefined;
      }
      if (e.kind === 'syscall' && syscallWrites(e)) {
        // SYSCALL records only: the watch's key says a cron file was written; crontab counts off a terminal
        const q = e.process ?? { argv: [] };
        if (isNamed(q, ['dpkg', 'rpm', 'apt', 'yum', 'dnf', 'cron', 'crond'])) return undefined;
        if (isNamed(q, ['crontab']) && e.process?.tty !== undefined && e.process.tty !== '(none)')
          return undefined;
        return watchedWithoutPath(e, ctx.list('cron_watch_keys'));
      }
      if (e.kind !== 'file' || fileAccess(e) !== 'write') return undefined;
      if (
        isNamed(e.process ?? { argv: [] }, ['crontab', 'dpkg', 'rpm', 'apt', 'yum', 'dnf', 'cron', 'crond'])
      )
        return undefined;
      const path = touched(e).find((x) => CRON.test(x));
      return path ? { evidence: { path } } : undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-48',
      title: 'File attributes changed with chattr',
      severity: 'Medium',
      ...EVADE,
      technique: 'T1222.002 Linux and Mac File and Directory Permissions Modification',
      remediation: 'Check immutable/append-only flags (lsattr) on system files and revert unexpected ones.',
    },
    (p) => {
      if (!isNamed(p, ['chattr'])) return undefined;
      const flag = p.argv.find((x) => /^[+-][a-zA-Z]*[ia]/.test(x));
      const target = p.argv
        .slice(1)
        .find((x) =>
          /^(?:\/etc\/|\/usr\/bin\/|\/usr\/sbin\/|\/bin\/|\/sbin\/|\/var\/spool\/cron|\/root\/\.ssh|\/home\/[^/]+\/\.ssh)/.test(
            x,
          ),
        );
      return flag && target ? { flag, target } : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-49',
      title: 'Shell profile modified',
      severity: 'Medium',
      tactic: 'Persistence',
      technique: 'T1546.004 Unix Shell Configuration Modification',
      falco: ['Modify Shell Configuration File'],
      remediation: 'Review the profile for added commands (aliases, PROMPT_COMMAND, downloads).',
    },
    (e, ctx) => {
      const p = execOf(e);
      if (p) {
        const s = anyText(
          p,
          ctx,
          />>\s*(?:~|\$HOME|\/root|\/home\/[^/\s]+)?\/?\.(?:bashrc|bash_profile|profile|zshrc)\b|>>\s*\/etc\/(?:profile|bash\.bashrc)\b/,
        );
        return s ? { evidence: { script: s } } : undefined;
      }
      if (e.kind !== 'file' || fileAccess(e) !== 'write') return undefined;
      const proc: ProcessInfo = e.process ?? { pid: 0, argv: [] };
      if (isNamed(proc, ['dpkg', 'rpm', 'apt', 'yum', 'dnf', 'useradd', 'cp'])) return undefined;
      if (isNamed(proc, ['vi', 'vim', 'nano', 'emacs']) && proc.tty && proc.tty !== '(none)')
        return undefined;
      const path = touched(e).find((x) => PROFILE.test(x));
      return path ? { evidence: { path } } : undefined;
    },
  ),
];
