import { createRequire } from 'node:module';
import type { PathItem, ProcessInfo, RuntimeEvent, SocketAddress } from '../event.js';
import { type AuditRecord, decodeArgv, decodeValue, unquote } from './record.js';

const require = createRequire(import.meta.url);
const SYSCALLS = require('../data/syscalls.json') as Record<
  string,
  { name: string; syscalls: Record<string, string> }
>;

/** Architecture name of an `arch=` value. @example archName('c000003e') // 'x86_64' */
export function archName(arch: string | undefined): string | undefined {
  return arch ? SYSCALLS[arch.toLowerCase()]?.name : undefined;
}

/** Syscall name for an arch and number, as ausyscall prints it. @example syscallName('c000003e', 59) // 'execve' */
export function syscallName(arch: string | undefined, nr: number): string | undefined {
  return arch ? SYSCALLS[arch.toLowerCase()]?.syscalls[String(nr)] : undefined;
}

/** Decode a hex `saddr` (struct sockaddr). */
export function decodeSockaddr(hex: string): SocketAddress {
  const b = Buffer.from(hex, 'hex');
  const family = b.length >= 2 ? b.readUInt16LE(0) : -1;
  if (family === 2 && b.length >= 8)
    return { family: 'ipv4', port: b.readUInt16BE(2), addr: `${b[4]}.${b[5]}.${b[6]}.${b[7]}` };
  if (family === 10 && b.length >= 24) {
    const groups: string[] = [];
    for (let i = 8; i < 24; i += 2) groups.push(b.readUInt16BE(i).toString(16));
    return { family: 'ipv6', port: b.readUInt16BE(2), addr: compressIpv6(groups) };
  }
  if (family === 1) {
    const raw = b.subarray(2);
    // abstract sockets start with NUL; otherwise the path ends at the first NUL
    const end = raw[0] === 0 ? raw.length : raw.indexOf(0) < 0 ? raw.length : raw.indexOf(0);
    return { family: 'unix', path: raw.subarray(0, end).toString('utf8').replace(/\0/g, '@') };
  }
  if (family === 16) return { family: 'netlink' };
  return { family: 'other' };
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(unquote(v));
  return Number.isFinite(n) ? n : undefined;
}

function get(record: AuditRecord | undefined, key: string): string | undefined {
  if (!record) return undefined;
  for (const [k, v] of record.fields) if (k === key) return v;
  return undefined;
}

/** argv of an EXECVE record: `a0..aN`, with split arguments `aN_len=`, `aN[0]=`, `aN[1]=`… joined. */
export function execveArgv(record: AuditRecord): string[] {
  const parts = new Map<number, string>();
  const pieces = new Map<number, string[]>();
  for (const [k, v] of record.fields) {
    const m = /^a(\d+)(?:\[(\d+)\])?$/.exec(k);
    if (!m) continue;
    const idx = Number(m[1]);
    const value = v.startsWith('"') ? unquote(v) : (decodeValue(v) ?? '');
    if (m[2] === undefined) parts.set(idx, value);
    else {
      const list = pieces.get(idx) ?? [];
      list[Number(m[2])] = v.startsWith('"') ? unquote(v) : Buffer.from(v, 'hex').toString('utf8');
      pieces.set(idx, list);
    }
  }
  for (const [idx, list] of pieces) parts.set(idx, list.join(''));
  const argc = num(get(record, 'argc')) ?? parts.size;
  const argv: string[] = [];
  for (let i = 0; i < argc; i++) argv.push(parts.get(i) ?? '');
  return argv;
}

/** Fields auditd may write hex-encoded (untrusted strings); others are taken as written. */
export const ENCODED_FIELDS = new Set([
  'exe',
  'comm',
  'name',
  'cwd',
  'acct',
  'cmd',
  'path',
  'dir',
  'old',
  'new',
  'data',
  'key',
  'ocomm',
  'root_dir',
  'watch',
  'vm',
  'grp',
  'new_group',
  'old_group',
  'proctitle',
]);

const USER_SPACE_TYPES =
  /^(USER_|ADD_|DEL_|CRED_|ACCT_|GRP_|ANOM_|CONFIG_CHANGE|NETFILTER_CFG|DAEMON_|SERVICE_|SYSTEM_|LOGIN)/;

/** Turn the records of one event into a normalised event (`undefined` for events rules never read). */
export function normalise(records: AuditRecord[], host?: string): RuntimeEvent | undefined {
  const first = records[0];
  if (!first) return undefined;
  const by = (type: string) => records.find((r) => r.type === type);
  const syscallRec = by('SYSCALL');
  const execve = by('EXECVE');
  const proctitle = by('PROCTITLE');
  const cwdRec = by('CWD');
  const node = first.node ?? host;
  const time = Math.round(first.time * 1000);
  const hostRef = { type: 'host' as const, id: node ?? 'localhost' };
  const auditId = `${first.stamp}:${first.serial}`;

  let argv: string[] = execve ? execveArgv(execve) : [];
  if (argv.length === 0 && proctitle) argv = decodeArgv(get(proctitle, 'proctitle') ?? '');
  const base = syscallRec ?? (execve ? undefined : first);
  const proc: ProcessInfo = {
    pid: num(get(base, 'pid')) ?? 0,
    argv,
  };
  const set = <K extends keyof ProcessInfo>(k: K, v: ProcessInfo[K] | undefined) => {
    if (v !== undefined) proc[k] = v;
  };
  if (first.node) proc.host = first.node;
  set('ppid', num(get(base, 'ppid')));
  set('exe', decodeValue(get(base, 'exe')));
  set('comm', decodeValue(get(base, 'comm')));
  set('uid', num(get(base, 'uid')));
  set('euid', num(get(base, 'euid')));
  set('auid', num(get(base, 'auid')));
  set('ses', num(get(base, 'ses')));
  set('tty', get(base, 'tty'));
  set('cwd', decodeValue(get(cwdRec, 'cwd')) ?? decodeValue(get(base, 'cwd')));
  set('key', decodeValue(get(syscallRec, 'key')));

  const paths: PathItem[] = records
    .filter((r) => r.type === 'PATH')
    .map((r) => {
      const item: PathItem = { name: decodeValue(get(r, 'name')) ?? '' };
      const nametype = get(r, 'nametype') ?? get(r, 'objtype');
      if (nametype) item.nametype = nametype;
      const mode = get(r, 'mode');
      if (mode) item.mode = mode;
      return item;
    });

  const resource = {
    type: 'process' as const,
    id: `${proc.pid}`,
    ...(proc.exe || proc.comm ? { name: proc.exe ?? proc.comm } : {}),
    parent: hostRef,
  };

  if (syscallRec) {
    const arch = get(syscallRec, 'arch');
    const nr = num(get(syscallRec, 'syscall')) ?? -1;
    const name = syscallName(arch, nr) ?? String(nr);
    const success = get(syscallRec, 'success') !== 'no';
    const a = [0, 1, 2, 3].map((i) => get(syscallRec, `a${i}`) ?? '');
    const exit = num(get(syscallRec, 'exit'));
    const saddr = get(by('SOCKADDR'), 'saddr');
    const kind =
      name === 'execve' || name === 'execveat'
        ? 'exec'
        : name === 'connect' && saddr
          ? 'connect'
          : paths.length > 0
            ? 'file'
            : 'syscall';
    const event: RuntimeEvent = {
      source: 'auditd',
      kind,
      time,
      resource,
      process: proc,
      syscall: { name, number: nr, success, a, ...(exit !== undefined ? { exit } : {}) },
      paths,
      ...(node ? { host: node } : {}),
      auditId,
    };
    if (saddr) event.socket = decodeSockaddr(saddr);
    const extra = records.find((r) => r.type !== 'SYSCALL' && USER_SPACE_TYPES.test(r.type));
    if (extra) event.record = { type: extra.type, fields: fieldMap(extra) };
    return event;
  }
  if (execve) {
    // an EXECVE without its SYSCALL (lost record): still an exec, with what is known
    return {
      source: 'auditd',
      kind: 'exec',
      time,
      resource,
      process: proc,
      paths,
      ...(node ? { host: node } : {}),
      auditId,
    };
  }
  return {
    source: 'auditd',
    kind: 'user',
    time,
    resource,
    process: proc,
    record: { type: first.type, fields: fieldMap(first) },
    ...(node ? { host: node } : {}),
    auditId,
  };
}

/** A record's fields as a map with decoded values (first occurrence wins). */
export function fieldMap(record: AuditRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of record.fields)
    if (!(k in out)) out[k] = ENCODED_FIELDS.has(k) ? (decodeValue(v) ?? '') : unquote(v);
  return out;
}
