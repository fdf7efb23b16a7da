import type { ProcessInfo } from '../event.js';
import { auditRule, execRule } from './lib/define.js';
import { anyText, execOf, fileAccess, isNamed, names, touched } from './lib/host.js';
import type { Rule } from './types.js';

const CRED = { tactic: 'Credential Access' };
const PERSIST = { tactic: 'Persistence' };

const SECRET_TERMS =
  /password|passwd|secret|token|BEGIN [A-Z ]*PRIVATE KEY|id_rsa|aws_access_key|\.pem\b|\.kdbx\b|credentials/i;
const CREDENTIAL_FILES =
  /(?:\/\.aws\/credentials|\/\.docker\/config\.json|\/\.kube\/config|\/\.ssh\/id_[a-z0-9]+|\/proc\/[^/\s]+\/environ)\b/;
const READERS = [
  'cat',
  'less',
  'more',
  'head',
  'tail',
  'grep',
  'cp',
  'strings',
  'base64',
  'xxd',
  'od',
  'python',
  'curl',
];

export const hostAccountRules: Rule[] = [
  auditRule(
    {
      id: 'RT-HOST-15',
      title: 'User account created',
      severity: 'Medium',
      ...PERSIST,
      technique: 'T1136.001 Create Account: Local Account',
      defender: ['K8S.NODE_SuspectUserAddition'],
      falco: ['User mgmt binaries'],
      evidence: ['account', 'exe', 'auid'],
      remediation: 'Remove the account if it is not expected and review who created it.',
    },
    (e) => {
      if (e.kind === 'user' && e.record?.type === 'ADD_USER') {
        const f = e.record.fields;
        if (f.res !== 'success' && f.res !== '1') return undefined;
        // provisioning (cloud-init, package scripts at boot) runs outside any login session
        if (!e.process?.container && (e.process?.auid === undefined || e.process.auid === 4294967295))
          return undefined;
        return { evidence: { account: f.acct ?? f.id, exe: f.exe, auid: e.process?.auid } };
      }
      const p = execOf(e);
      if (!p || !isNamed(p, ['useradd', 'adduser', 'newusers'])) {
        if (p && isNamed(p, ['busybox']) && p.argv[1] === 'adduser')
          return { evidence: { account: p.argv.at(-1) } };
        return undefined;
      }
      return { evidence: { account: p.argv.at(-1) } };
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-16',
      title: 'Account added to a privileged group',
      severity: 'Medium',
      tactic: 'Privilege Escalation, Persistence',
      technique: 'T1098 Account Manipulation, T1548.003',
      falco: ['User mgmt binaries'],
      remediation: 'Remove the account from the group if it is not expected.',
    },
    (e, ctx) => {
      const groups = ctx.list('privileged_groups');
      const p = execOf(e);
      if (p) {
        const a = p.argv;
        const hasGroup = (s: string | undefined) => !!s && s.split(',').some((g) => groups.includes(g));
        if (isNamed(p, ['usermod']) && a.some((x, i) => /^-a?G$|^-aG$/.test(x) && hasGroup(a[i + 1])))
          return { evidence: { cmd: a.join(' ') } };
        if (isNamed(p, ['gpasswd']) && a.includes('-a') && hasGroup(a.at(-1)))
          return { evidence: { cmd: a.join(' ') } };
        if (
          isNamed(p, ['adduser', 'addgroup']) &&
          a.length >= 3 &&
          !a[1]?.startsWith('-') &&
          hasGroup(a.at(-1))
        )
          return { evidence: { cmd: a.join(' ') } };
        return undefined;
      }
      if (e.kind === 'user' && (e.record?.type === 'USER_MGMT' || e.record?.type === 'GRP_MGMT')) {
        const f = e.record.fields;
        const g = f.grp ?? f.acct ?? '';
        if (groups.includes(g) && /add/.test(f.op ?? '')) return { evidence: { op: f.op, group: g } };
        return undefined;
      }
      if (e.kind === 'file' && fileAccess(e) === 'write') {
        const path = touched(e).find((x) => x === '/etc/sudoers' || x.startsWith('/etc/sudoers.d/'));
        if (path && !isNamed(e.process ?? { argv: [] }, ['visudo', 'dpkg', 'rpm', 'apt', 'yum', 'dnf']))
          return { evidence: { path } };
      }
      return undefined;
    },
  ),
  execRule(
    {
      id: 'RT-HOST-17',
      title: 'Password set from a pre-computed crypt hash',
      severity: 'Medium',
      ...PERSIST,
      technique: 'T1098 Account Manipulation',
      defender: ['K8S.NODE_SuspectPasswordChange'],
      remediation: 'Reset the password of the affected account and review who set it.',
    },
    (p, _e, ctx) => {
      const a = p.argv;
      if (isNamed(p, ['usermod']) && a.includes('-p')) return { method: 'usermod -p' };
      if (isNamed(p, ['chpasswd']) && (a.includes('-e') || a.includes('--encrypted')))
        return { method: 'chpasswd -e' };
      if (isNamed(p, ['openssl']) && a[1] === 'passwd' && a.some((x) => /^-(1|5|6|apr1)$/.test(x)))
        return { method: 'openssl passwd' };
      if (isNamed(p, ['mkpasswd']) && a.some((x) => x === '-m' || x.startsWith('--method')))
        return { method: 'mkpasswd' };
      if (anyText(p, ctx, /\$[156]\$[^|]*\|\s*chpasswd\s+-e/)) return { method: 'hash piped to chpasswd -e' };
      if (isNamed(p, ['perl', 'python', 'python3']) && /crypt\(/.test(a.join(' ')))
        return { method: 'crypt()' };
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-18',
      title: 'Shadow password file read',
      severity: 'Medium',
      ...CRED,
      technique: 'T1003.008 /etc/passwd and /etc/shadow',
      defender: ['K8S.NODE_SuspectPasswordFileAccess'],
      falco: ['Read sensitive file untrusted'],
      remediation: 'Find why the process read the password hashes; rotate passwords if it was not expected.',
    },
    (e, ctx) => {
      const shadow = ['/etc/shadow', '/etc/gshadow'];
      const p = execOf(e);
      if (p) {
        if (!isNamed(p, READERS)) return undefined;
        const f = p.argv.slice(1).find((x) => shadow.includes(x));
        return f ? { evidence: { path: f } } : undefined;
      }
      if (e.kind !== 'file' || !e.syscall?.success) return undefined;
      const path = touched(e).find((x) => shadow.includes(x));
      if (!path || fileAccess(e) !== 'read') return undefined;
      if (isNamed(e.process ?? { argv: [] }, ctx.list('shadow_readers'))) return undefined;
      return { evidence: { path } };
    },
  ),
  execRule(
    {
      id: 'RT-HOST-19',
      title: 'Secret and sensitive-file reconnaissance',
      severity: 'Medium',
      tactic: 'Credential Access, Discovery',
      technique: 'T1552.001 Credentials In Files; T1083',
      falco: [
        'Search Private Keys or Passwords',
        'Find AWS Credentials',
        'Read environment variable from /proc files',
      ],
      remediation: 'Find who searched for secrets; rotate any credential found on the host.',
    },
    (p) => {
      const a = p.argv;
      const line = a.join(' ');
      if (
        isNamed(p, ['grep', 'egrep', 'rg']) &&
        a.some((x) => /^-[a-zA-Z]*[rR]/.test(x)) &&
        SECRET_TERMS.test(line)
      )
        return { search: line };
      if (isNamed(p, ['find', 'locate']) && SECRET_TERMS.test(a.slice(1).join(' '))) return { search: line };
      if (isNamed(p, ['cat', 'cp', 'less', 'head', 'tail', 'strings']) && CREDENTIAL_FILES.test(line))
        return { file: CREDENTIAL_FILES.exec(line)?.[0] };
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-20',
      title: 'Service-account or workload-identity token read',
      severity: 'Medium',
      ...CRED,
      technique: 'T1528 Steal Application Access Token',
      remediation: 'Set automountServiceAccountToken: false where the token is not needed; find the reader.',
    },
    (e, ctx) => {
      const tokens = ctx.list('sa_token_paths');
      const projected = /^\/var\/lib\/kubelet\/pods\/[^/]+\/volumes\/kubernetes\.io~projected\/[^/]+\/token$/;
      const isToken = (x: string, inContainer: boolean) =>
        (inContainer && tokens.includes(x)) || projected.test(x);
      const p = execOf(e);
      if (p) {
        if (!isNamed(p, ['cat', 'curl', 'head', 'base64', 'cp', 'less'])) return undefined;
        const f = p.argv.find(
          (x) =>
            isToken(x.replace(/^@/, ''), !!p.container) || (p.container && /serviceaccount\/token/.test(x)),
        );
        return f ? { evidence: { path: f } } : undefined;
      }
      if (e.kind === 'file' && fileAccess(e) === 'read') {
        const path = touched(e).find((x) => isToken(x, !!e.process?.container));
        return path ? { evidence: { path } } : undefined;
      }
      return undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-21',
      title: 'Kubelet kubeconfig read',
      severity: 'Medium',
      ...CRED,
      technique: 'T1552.001 Credentials In Files',
      defender: ['K8S.NODE_KubeConfigAccess'],
      remediation:
        'Find the reader of the kubelet credentials; rotate the node certificate if it was not expected.',
    },
    (e, ctx) => {
      const configs = ctx.list('kubelet_configs');
      const match = (x: string) => configs.some((c) => (c.endsWith('/') ? x.startsWith(c) : x === c));
      const p = execOf(e);
      if (p) {
        if (!isNamed(p, READERS)) return undefined;
        const f = p.argv.slice(1).find(match);
        return f ? { evidence: { path: f } } : undefined;
      }
      if (e.kind !== 'file' || fileAccess(e) !== 'read') return undefined;
      if (isNamed(e.process ?? { argv: [] }, ctx.list('kubelet_config_readers'))) return undefined;
      const path = touched(e).find(match);
      return path ? { evidence: { path } } : undefined;
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-22',
      title: 'SSH authorized_keys accessed or changed',
      severity: 'Medium',
      ...PERSIST,
      technique: 'T1098.004 SSH Authorized Keys',
      defender: ['K8S.NODE_SshKeyAccess'],
      falco: ['Adding ssh keys to authorized_keys', 'Read ssh information'],
      remediation: 'Review the keys in authorized_keys and remove unknown ones.',
    },
    (e, ctx) => {
      const keys = /\/\.ssh\/authorized_keys2?$/;
      const p = execOf(e);
      if (p) {
        const s = anyText(p, ctx, />>?\s*\S*\.ssh\/authorized_keys2?\b/);
        return s ? { evidence: { script: s } } : undefined;
      }
      if (e.kind !== 'file') return undefined;
      const path = touched(e).find((x) => keys.test(x));
      if (!path) return undefined;
      const proc: ProcessInfo = e.process ?? { pid: 0, argv: [] };
      if (fileAccess(e) === 'write') {
        if (isNamed(proc, ['ssh-copy-id', 'vi', 'vim', 'nano', 'emacs']) && proc.tty && proc.tty !== '(none)')
          return undefined;
        return { evidence: { path, access: 'write' } };
      }
      return isNamed(proc, ['sshd']) ? undefined : { evidence: { path, access: 'read' } };
    },
  ),
  auditRule(
    {
      id: 'RT-HOST-50',
      title: 'Shell history of another user read',
      severity: 'Low',
      ...CRED,
      technique: 'T1552.003 Bash History',
      remediation: 'Find why the process read another user’s shell history.',
    },
    (e, ctx) => {
      const hist = ctx.list('history_files');
      const isHist = (x: string) => hist.some((h) => x.endsWith(`/${h}`));
      const p = execOf(e);
      if (p) {
        if (
          !isNamed(p, ['cat', 'grep', 'less', 'strings', 'python', 'python3', 'more', 'tail', 'head']) ||
          p.uid === 0
        )
          return undefined;
        const f = p.argv.slice(1).find((x) => isHist(x) && x.startsWith('/root/'));
        return f ? { evidence: { path: f } } : undefined;
      }
      if (e.kind !== 'file' || fileAccess(e) !== 'read' || !e.process || e.process.uid === 0)
        return undefined;
      const item = e.paths?.find((x) => isHist(x.name));
      if (!item) return undefined;
      return { evidence: { path: item.name, reader: names(e.process)[0] } };
    },
  ),
];
