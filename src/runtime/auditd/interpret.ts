import { createRequire } from 'node:module';
import { archName, decodeSockaddr, ENCODED_FIELDS, syscallName } from './normalise.js';
import { type AuditRecord, decodeArgv, decodeValue, unquote } from './record.js';

const require = createRequire(import.meta.url);
const ERRNO = require('../data/errno.json') as Record<string, string>;

const ENCODED = ENCODED_FIELDS;
const UNSET = '4294967295';

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

/**
 * A record's fields as interpreted values, following the conventions of go-libaudit's `auparse` (the
 * `data` map of its goldens): hex strings decoded, `res` → `result` success/fail, unset ids → `unset`,
 * `arch` and `syscall` named, `subj` split, `saddr` decoded to family/addr/port/path.
 */
export function interpretRecord(record: AuditRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw, word] of record.fields) {
    const k = word === 'old' || word === 'new' ? `${word}_${name}` : name;
    if (k in out && k !== 'res') continue;
    if (k.startsWith('old_') || k.startsWith('new_')) {
      out[k] = unquote(raw);
      continue;
    }
    const v = unquote(raw);
    switch (k) {
      case 'res':
      case 'result':
      case 'success':
        out.result = v === 'yes' || v === 'success' || v === '1' ? 'success' : 'fail';
        break;
      case 'auid':
      case 'ses':
      case 'sauid':
      case 'old-auid':
        out[k] = raw === UNSET || raw === '-1' ? 'unset' : v;
        break;
      case 'arch':
        out.arch = archName(v) ?? v;
        break;
      case 'subj':
      case 'obj': {
        const [user, role, domain, level, category] = v.split(':');
        if (user) out[`${k}_user`] = user;
        if (role) out[`${k}_role`] = role;
        if (domain) out[`${k}_domain`] = domain;
        if (level) out[`${k}_level`] = level;
        if (category) out[`${k}_category`] = category;
        break;
      }
      case 'sig':
        out.sig = SIGNALS[Number(v)] ?? v;
        break;
      case 'saddr': {
        const s = decodeSockaddr(v);
        out.family =
          s.family === 'other' ? String(Buffer.from(v.slice(0, 4), 'hex').readUInt16LE(0)) : s.family;
        if (s.family === 'netlink' || s.family === 'other') out.saddr = v;
        if (s.addr) out.addr = s.addr;
        if (s.port !== undefined) out.port = String(s.port);
        if (s.path !== undefined) out.path = s.path;
        break;
      }
      case 'proctitle':
        out.proctitle = decodeArgv(raw).join(' ');
        break;
      default:
        if (/^a\d+(\[\d+\])?$/.test(k) && record.type === 'EXECVE') out[k] = decodeValue(raw) ?? '';
        else if (ENCODED.has(k)) {
          const d = decodeValue(raw);
          if (d !== undefined) out[k] = d;
        } else if (raw !== '(null)') out[k] = v;
    }
  }
  if (out.syscall) {
    const arch = record.fields.find(([k]) => k === 'arch')?.[1];
    out.syscall = syscallName(arch, Number(out.syscall)) ?? out.syscall;
  }
  if (record.type === 'SYSCALL' && out.exit && /^-\d+$/.test(out.exit) && out.result === 'fail')
    out.exit = ERRNO[-Number(out.exit)] ?? out.exit;
  return out;
}
