/**
 * One raw audit.log line: `[node=H ]type=T msg=audit(SEC.MS:SERIAL): k=v …[\x1D ENRICHED k=v …]`.
 * Fields keep their raw text (quotes included) in log order, as auparse lists them; `msg='…'` of user-space
 * records is flattened into its inner fields, and an SELinux/AppArmor `avc:  denied  { perms } for` prefix
 * becomes `seresult` and `seperms`.
 */
export interface AuditRecord {
  type: string;
  node?: string;
  /** Seconds since the epoch, with milliseconds. */
  time: number;
  /** The `SEC.MS` text as logged. */
  stamp: string;
  serial: number;
  fields: Field[];
  /** Interpreted values the enriched log format appends after 0x1D (`AUID="alice"`). */
  enriched?: Record<string, string>;
  /** The text after `msg=`, as logged (go-libaudit's `raw_msg`). */
  raw: string;
}

/** `[key, raw value, bare word just before it]` (`old auid=…` keeps `old`). */
export type Field = [string, string, string?];

const ENRICHED_GLUED = /[^\s=](?=(?:ARCH|SYSCALL|AUID|UID|OUID|SADDR)=)/;

const HEADER = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\):?\s*/;

/** Parse one line; `undefined` for lines that are not audit records (blank lines, garbage). */
export function parseRecord(line: string): AuditRecord | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  let body = line.slice(m[0].length);
  let enriched: Record<string, string> | undefined;
  let gs = body.indexOf('\x1d');
  if (gs < 0) {
    // some copies lost the 0x1D separator: the enriched block then starts right after a value
    const glued = ENRICHED_GLUED.exec(body);
    if (glued) {
      body = `${body.slice(0, glued.index + 1)}\x1d${body.slice(glued.index + 1)}`;
      gs = glued.index + 1;
    }
  }
  if (gs >= 0) {
    enriched = {};
    for (const [k, v] of tokenize(body.slice(gs + 1))) enriched[k] = unquote(v);
    body = body.slice(0, gs);
  }
  const fields: Field[] = [];
  const avc = /^avc:\s+(\w+)\s+\{\s*([^}]*?)\s*\}\s+for\s+/.exec(body);
  if (avc) {
    fields.push(['seresult', avc[1]!], ['seperms', avc[2]!.split(/\s+/).join(',')]);
    body = body.slice(avc[0].length);
  }
  for (const field of tokenize(body)) {
    const [k, v] = field;
    if (k === 'msg' && v.startsWith("'")) {
      for (const inner of tokenize(v.slice(1, v.endsWith("'") ? -1 : undefined))) fields.push(inner);
    } else fields.push(field);
  }
  const stamp = `${m[3]}.${m[4]}`;
  const rawStart = line.indexOf('audit(');
  return {
    type: m[2]!,
    ...(m[1] ? { node: m[1] } : {}),
    time: Number(stamp),
    stamp,
    serial: Number(m[5]),
    fields,
    ...(enriched ? { enriched } : {}),
    raw: line.slice(rawStart, line.indexOf('\x1d') >= 0 ? line.indexOf('\x1d') : undefined),
  };
}

/** `k=v` pairs of a record body; values keep their quotes. Words without `=` are skipped. */
export function tokenize(text: string): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = text.length;
  let word: string | undefined;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== '=' && text[i] !== ' ') i++;
    if (i >= n || text[i] === ' ') {
      word = text.slice(start, i); // a word without '='
      continue;
    }
    let key = text.slice(start, i);
    if (key.startsWith('(')) key = key.slice(1);
    i++;
    const q = text[i];
    let end: number;
    if (q === '"' || q === "'") {
      end = text.indexOf(q, i + 1);
      end = end < 0 ? n : end + 1;
    } else {
      end = text.indexOf(' ', i);
      if (end < 0) end = n;
    }
    let value = text.slice(i, end);
    if (q !== '"' && q !== "'") {
      if (value.endsWith(',')) value = value.slice(0, -1);
      if (value.endsWith(')') && !value.includes('(')) value = value.slice(0, -1);
    }
    if (key) out.push(word ? [key, value, word] : [key, value]);
    word = undefined;
    i = end;
  }
  return out;
}

export function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1);
  return v;
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * The value of a field that auditd may hex-encode (exe, comm, name, cwd, argv, proctitle, acct, cmd…):
 * quoted text is taken as is, `(null)` is undefined, an unquoted even-length hex string is decoded.
 */
export function decodeValue(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '(null)') return undefined;
  if (raw.startsWith('"')) return unquote(raw);
  if (raw.length >= 2 && HEX.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

/** PROCTITLE or an EXECVE argument: hex of NUL-separated argv, or quoted text. */
export function decodeArgv(raw: string): string[] {
  if (raw.startsWith('"')) return [unquote(raw)];
  if (HEX.test(raw)) return Buffer.from(raw, 'hex').toString('utf8').split('\0');
  return [raw];
}
